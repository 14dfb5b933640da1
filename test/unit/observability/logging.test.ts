import { PassThrough } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { activityLogger, createLogger, formatHumanLine, REDACTED, sdkLoggerFor } from '../../../src/workers/logging';

function capture(json: boolean, level: 'trace' | 'info' = 'info') {
  const out = new PassThrough();
  const lines: string[] = [];
  out.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
  const logger = createLogger({ json, level, destination: out });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level names and ISO time', () => {
    const { logger, lines } = capture(true);
    logger.info({ device: 'r1' }, 'connected');
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'info', msg: 'connected', device: 'r1' });
    expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('never prints secrets: top level, nested and two levels deep', () => {
    const { logger, lines } = capture(true);
    logger.warn(
      {
        password: 'hunter2',
        apiKey: 'AKIA-1',
        creds: { passphrase: 'pp', token: 'tok', user: 'admin' },
        device: { ssh: { secret: 's3', privateKey: 'pk' } },
      },
      'login failed',
    );
    const text = lines.join('\n');
    for (const leaked of ['hunter2', 'AKIA-1', '"pp"', 'tok"', '"s3"', '"pk"']) expect(text).not.toContain(leaked);
    const entry = JSON.parse(lines[0]!);
    expect(entry.password).toBe(REDACTED);
    expect(entry.creds).toEqual({ passphrase: REDACTED, token: REDACTED, user: 'admin' });
    expect(entry.device.ssh.secret).toBe(REDACTED);
  });

  it('prints readable lines for people, context first, and still redacts', () => {
    const { logger, lines } = capture(false);
    logger.info({ workflowId: 'rollout/1', device: 'core-1', password: 'x', note: 'two words' }, 'image staged');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  image staged device=core-1 workflowId=rollout\/1 password=\[redacted\] note="two words"$/);
  });

  it('shows an error stack under the human line', () => {
    const text = formatHumanLine(JSON.stringify({ time: '2026-01-01T10:00:00.000Z', level: 'error', msg: 'boom', err: { message: 'x', stack: 'Error: x\n    at f' } }));
    expect(text).toBe('10:00:00.000 ERROR boom\n  Error: x\n    at f');
  });
});

describe('sdkLoggerFor', () => {
  it("routes the SDK's levels and metadata through our logger", () => {
    const { logger, lines } = capture(true, 'trace');
    const sdk = sdkLoggerFor(logger);
    sdk.log('WARN', 'Activity failed', { activityType: 'tcpProbe', workflowId: 'w1', [Symbol('ts')]: 1n });
    sdk.debug('polling', { sdkComponent: 'worker' });
    sdk.error('oops', { token: 'abc' });
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries[0]).toMatchObject({ level: 'warn', msg: 'Activity failed', activityType: 'tcpProbe', workflowId: 'w1' });
    expect(entries[1]).toMatchObject({ level: 'debug', sdkComponent: 'worker' });
    expect(entries[2]).toMatchObject({ level: 'error', token: REDACTED });
  });

  it('respects the level: debug lines are dropped at info', () => {
    const { logger, lines } = capture(true, 'info');
    sdkLoggerFor(logger).debug('noise');
    expect(lines).toEqual([]);
  });
});

describe('activityLogger', () => {
  it('stamps workflow, activity, attempt and device on every line', async () => {
    const { logger, lines } = capture(true);
    const env = new MockActivityEnvironment({ activityType: 'stageImage', attempt: 2 });
    await env.run(async () => activityLogger({ device: 'edge-7' }, logger).info('staging'));
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'staging', device: 'edge-7', activityType: 'stageImage', attempt: 2 });
    expect(JSON.parse(lines[0]!)).toHaveProperty('workflowId');
  });
});

describe('runtimeOptionsFromEnv', () => {
  it('reads the container settings and rejects bad ones by name', async () => {
    const { runtimeOptionsFromEnv } = await import('../../../src/workers/runtime');
    expect(runtimeOptionsFromEnv({})).toEqual({});
    expect(
      runtimeOptionsFromEnv({ NETOPS_METRICS_PORT: '9464', NETOPS_METRICS_HOST: '0.0.0.0', NETOPS_LOG_LEVEL: 'DEBUG', NETOPS_LOG_FORMAT: 'pretty' }),
    ).toEqual({ metricsPort: 9464, metricsHost: '0.0.0.0', logLevel: 'debug', json: false });
    expect(() => runtimeOptionsFromEnv({ NETOPS_METRICS_PORT: '70000' })).toThrow(/NETOPS_METRICS_PORT=70000 is not a port/);
    expect(() => runtimeOptionsFromEnv({ NETOPS_LOG_LEVEL: 'loud' })).toThrow(/NETOPS_LOG_LEVEL=loud is not one of/);
    expect(() => runtimeOptionsFromEnv({ NETOPS_LOG_FORMAT: 'xml' })).toThrow(/NETOPS_LOG_FORMAT=xml is not json or pretty/);
  });
});
