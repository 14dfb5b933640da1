import { describe, expect, it } from 'vitest';
import { toFailure } from '../../../src/activities/failures';
import {
  AuthenticationFailed,
  CommandRejected,
  HashMismatch,
  HostKeyMismatch,
  NotEnoughSpace,
  TimedOut,
  Unreachable,
} from '../../../src/devices/errors';
import { SecretResolutionError } from '../../../src/inventory/secrets';

describe('device errors', () => {
  it.each([
    [new AuthenticationFailed('r1', 'admin'), 'AuthenticationFailed', true],
    [new HostKeyMismatch('r1', 'ssh-ed25519 SHA256:a', 'ssh-ed25519 SHA256:b'), 'HostKeyMismatch', true],
    [new CommandRejected('r1', 'bad', "% Invalid input detected at '^' marker."), 'CommandRejected', true],
    [new NotEnoughSpace('r1', 100, 10, 'flash:'), 'NotEnoughSpace', true],
    [new HashMismatch('r1', 'flash:x', 'a', 'b', false), 'HashMismatch', true],
    [new HashMismatch('r1', 'flash:x', 'a', 'b', true), 'HashMismatch', false],
    [new Unreachable('r1', '10.0.0.1:22', 'ECONNREFUSED'), 'Unreachable', false],
    [new TimedOut('r1', 'banner', 1000), 'TimedOut', false],
  ])('%s maps to ApplicationFailure type %s, nonRetryable=%s', (err, type, nonRetryable) => {
    const f = toFailure(err) as { type: string; nonRetryable: boolean; message: string };
    expect(f.type).toBe(type);
    expect(f.nonRetryable).toBe(nonRetryable);
    expect(f.message).toContain('r1: ');
  });

  it('every message says which device, what happened and what to do', () => {
    const e = new TimedOut('core-1', 'auth', 20_000);
    expect(e.message).toBe('core-1: timed out after 20000 ms during auth. The device did not answer authentication; check AAA servers (TACACS/RADIUS) reachability.');
    expect(e.toJSON()).toMatchObject({ type: 'TimedOut', device: 'core-1', retryable: true });
  });

  it('a rejected command quotes the device line, not the whole output', () => {
    const e = new CommandRejected('r1', 'standby 10 prio 300', "standby 10 prio 300\n                       ^\n% Invalid input detected at '^' marker.");
    expect(e.message).toContain("% Invalid input detected at '^' marker.");
    expect(e.output).toContain('^');
  });

  it.each([
    ['username admin secret 9 $9$abc$def', 'username admin secret 9 <redacted>'],
    ['neighbor 10.0.0.2 password s3cr3t', 'neighbor 10.0.0.2 password <redacted>'],
    [' key-string 7 0822455D0A16', ' key-string 7 <redacted>'],
    ['standby 10 authentication md5 key-string hunter2', 'standby 10 authentication md5 key-string <redacted>'],
    ['standby 10 authentication text hunter2', 'standby 10 authentication text <redacted>'],
  ])('a rejected line never shows its secret: %s', (line, shown) => {
    const e = new CommandRejected('r1', line, `${line}\n% Invalid input detected at '^' marker.`);
    expect(e.command).toBe(shown);
    expect(e.message).not.toMatch(/hunter2|s3cr3t|0822455D0A16|\$9\$abc/);
    expect(e.output).not.toMatch(/hunter2|s3cr3t|0822455D0A16|\$9\$abc/);
  });

  it('an unresolvable secret is not retryable and names only the reference', () => {
    const f = toFailure(new SecretResolutionError({ kind: 'env', name: 'LAB_PW' }, 'environment variable LAB_PW is not set on this worker')) as { type: string; nonRetryable: boolean; message: string };
    expect(f.type).toBe('SecretResolutionError');
    expect(f.nonRetryable).toBe(true);
  });

  it('leaves unknown errors alone (Temporal retries them by default)', () => {
    const e = new Error('x');
    expect(toFailure(e)).toBe(e);
  });
});
