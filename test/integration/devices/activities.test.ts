import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { createActivities, type DeviceAccess } from '../../../src/activities';
import { SecretResolutionError } from '../../../src/inventory/secrets';
import { startFakeDevice, type FakeDevice, type FakeOptions } from './fake-device';

/** Expected activity failures are asserted, not logged. */
const quiet = new DefaultLogger('ERROR');

/** Activity behaviour that the shared lab cannot show: partial files left behind by a drop. */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

const data = Buffer.alloc(200_000, 7);
const image = { file: 'cat9k_iosxe.17.12.04.SPA.bin', source: 'mem', size: data.length, md5: createHash('md5').update(data).digest('hex') };

async function setup(opts: FakeOptions): Promise<{ fake: FakeDevice; device: DeviceAccess; acts: ReturnType<typeof createActivities> }> {
  const fake = await startFakeDevice(opts);
  stops.push(() => fake.stop());
  const device: DeviceAccess = {
    name: 'r1',
    host: '127.0.0.1',
    port: fake.port,
    platform: 'iosxe',
    hostKey: fake.hostKey,
    hostKeyCheck: 'strict',
    credentials: { set: 'lab', username: 'admin', password: { kind: 'env', name: 'PW' }, enableSecret: { kind: 'env', name: 'EN' } },
  };
  const secrets: Record<string, string> = { PW: 'pw', EN: 'en' };
  const acts = createActivities({
    resolveSecret: async (r) => (r.kind === 'env' ? secrets[r.name]! : ''),
    openImage: () => Readable.from([data.subarray(0, 64_000), data.subarray(64_000, 128_000), data.subarray(128_000)]),
    sessionOptions: { timeouts: { commandMs: 3_000, idleMs: 2_000 } },
  });
  return { fake, device, acts };
}

function run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return new MockActivityEnvironment(undefined, { logger: quiet }).run(fn, ...args);
}

describe('stageImage', () => {
  it('after a dropped transfer, the retry deletes the partial file and stages cleanly', async () => {
    const { fake, device, acts } = await setup({ dropTransferAfter: 100_000 });
    const err = await run(acts.stageImage, { device, image }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('SessionClosed');
    expect(fake.files.get(image.file)?.length).toBe(100_000); // the partial copy the drop left behind
    const r = await run(acts.stageImage, { device, image });
    expect(r).toEqual({ status: 'staged', bytesSent: data.length, md5: image.md5 });
    expect(fake.files.get(image.file)?.equals(data)).toBe(true);
  });

  it('not enough space is reported before sending anything, not retryable', async () => {
    const { fake, device, acts } = await setup({ freeBytes: 10_000 });
    const err = (await run(acts.stageImage, { device, image }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(err.type).toBe('NotEnoughSpace');
    expect(err.nonRetryable).toBe(true);
    expect(fake.files.size).toBe(0);
  });
});

describe('applyConfig', () => {
  it('a rejected line is a non-retryable CommandRejected carrying the device output', async () => {
    const { device, acts } = await setup({});
    const err = (await run(acts.applyConfig, { device, lines: ['interface Vlan10', 'bad idea', 'description never sent'] }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(err.type).toBe('CommandRejected');
    expect(err.nonRetryable).toBe(true);
    expect(err.message).toContain("% Invalid input detected at '^' marker.");
    expect(JSON.stringify(err.details)).toContain('bad idea');
  });

  it('applies good lines and counts them', async () => {
    const { device, acts } = await setup({});
    expect(await run(acts.applyConfig, { device, lines: ['interface Vlan10', ' description uplink', '!'] })).toEqual({ linesApplied: 2 });
  });
});

describe('credentials', () => {
  it('a secret that cannot be resolved fails before connecting, not retryable, naming only the reference', async () => {
    const { device } = await setup({});
    const acts = createActivities({ resolveSecret: async (ref) => Promise.reject(new SecretResolutionError(ref, 'environment variable PW is not set on this worker')) });
    const err = (await run(acts.runCommands, { device, commands: ['show version'] }).catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err.type).toBe('SecretResolutionError');
    expect(err.nonRetryable).toBe(true);
    expect(err.message).toMatch(/^r1: cannot resolve secret env:PW: environment variable PW is not set on this worker\. Set the secret on this worker/);
  });
});

describe('cancellation', () => {
  it('cancelling the activity closes the session instead of waiting for the command timeout', async () => {
    const { device } = await setup({});
    const acts = createActivities({ resolveSecret: async (r) => (r.kind === 'env' ? ({ PW: 'pw', EN: 'en' } as Record<string, string>)[r.name]! : ''), sessionOptions: { timeouts: { commandMs: 20_000, idleMs: 20_000 } } });
    const env = new MockActivityEnvironment(undefined, { logger: quiet });
    const started = Date.now();
    setTimeout(() => env.cancel(), 500);
    const err = await env.run(acts.runCommands, { device, commands: ['hang'] }).catch((e: unknown) => e);
    // The closed session is reported as what it is, a cancellation, so Temporal neither fails nor retries the attempt.
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
