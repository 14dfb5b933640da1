import { describe, expect, it } from 'vitest';
import { CommandRejected, redactSecrets, TimedOut } from '../../../src/devices/errors';

// Which failure type and retryability each error becomes: test/unit/activities/failure-policy.test.ts.
describe('device errors', () => {
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

  it.each([
    ['X-Cisco-Meraki-API-Key: 0123abcd', 'X-Cisco-Meraki-API-Key <redacted>'],
    ['Authorization: Bearer 0123abcd', 'Authorization: Bearer <redacted>'],
    ['ssh://r1/?password=0123abcd', 'ssh://r1/?password <redacted>'],
  ])('text a library wrote is masked the same way: %s', (text, shown) => {
    expect(redactSecrets(text)).toBe(shown);
  });
});
