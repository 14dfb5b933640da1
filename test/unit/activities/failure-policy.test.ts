import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { activityFailure, describeFailure, toActivityFailure, writeOutcomeUnknown } from '../../../src/activities/failures';
import { FirmwareAnswerError, UnknownFirmwareVersion } from '../../../src/activities/rest/firmware-state';
import { UnreadableStatusRow } from '../../../src/activities/rest/status-tally';
import * as vpcActivities from '../../../src/activities/vpc';
import { VpcNotConverged } from '../../../src/activities/vpc';
import {
  DASHBOARD_FAILURES,
  DASHBOARD_NON_RETRYABLE,
  DEVICE_NON_RETRYABLE,
  FAILURE_POLICY,
  REST_FAILURES,
  SSH_FAILURES,
  WORKER_FAILURES,
} from '../../../src/contracts/failure-policy';
import * as sshErrors from '../../../src/devices/errors';
import {
  AuthenticationFailed,
  CommandRejected,
  DeviceError,
  HashMismatch,
  HostKeyMismatch,
  NotEnoughSpace,
  ParseProblem,
  RedundancyNotConfirmed,
  RollbackFailed,
  SessionClosed,
  TimedOut,
  UnknownHostKey,
  Unreachable,
  UnreadableOutput,
  WrongVersion,
} from '../../../src/devices/errors';
import * as restErrors from '../../../src/devices/rest/errors';
import { BadRequest, ConnectionFailed, ForeignLink, ForeignRedirect, NotFound, RateLimited, RestError, ServerError, Timeout, Unauthorized } from '../../../src/devices/rest/errors';
import { InvalidCaller } from '../../../src/devices/rest/user-agent';
import { SecretResolutionError } from '../../../src/inventory/secrets';
import { ResultStoreUnwritable } from '../../../src/results/local-store';
import { DASHBOARD_RETRY, DEVICE_RETRY } from '../../../src/workflows/device-failure';

const D = 'core-r1';
const API = 'dashboard api.example.com';
const problem = new ParseProblem('standby brief', [{ line: 'Gi1/0/1  10  120  P Actvie  10.0.0.2', reason: 'unknown state' }]);

/** Every error an activity can meet, what it must leave as, and whether Temporal may try again. */
const CASES: [label: string, err: Error, type: string, retryable: boolean][] = [
  ['wrong credentials', new AuthenticationFailed(D, 'admin'), 'AuthenticationFailed', false],
  ['a changed host key', new HostKeyMismatch(D, 'ssh-ed25519 SHA256:a', 'ssh-ed25519 SHA256:b'), 'HostKeyMismatch', false],
  ['a host key nobody pinned', new UnknownHostKey(D, 'ssh-ed25519 SHA256:b'), 'UnknownHostKey', false],
  ['a refused config line', new CommandRejected(D, 'standby 10 prio 300', "% Invalid input detected at '^' marker."), 'CommandRejected', false],
  ['a full flash', new NotEnoughSpace(D, 100, 10, 'flash:'), 'NotEnoughSpace', false],
  ['a copy corrupted in transit', new HashMismatch(D, 'flash:x.bin', 'a', 'b', true), 'HashMismatch', true],
  ['an image that does not match its hash', new HashMismatch(D, 'flash:x.bin', 'a', 'b', false), 'HashMismatch', false],
  ['a device that does not answer', new Unreachable(D, '10.0.0.1:22', 'ECONNREFUSED'), 'Unreachable', true],
  ['a stalled handshake', new TimedOut(D, 'banner', 10_000), 'TimedOut', true],
  ['a dropped session', new SessionClosed(D, 'connection reset'), 'SessionClosed', true],
  ['a rollback that did not restore', new RollbackFailed(D, 'still differs', 'restore it by hand'), 'RollbackFailed', false],
  ['a peer that did not take over', new RedundancyNotConfirmed(D, 'Vlan10 group 10 still Standby'), 'RedundancyNotConfirmed', true],
  ['the old image after reload', new WrongVersion(D, '17.12.04', '17.09.04a'), 'WrongVersion', false],
  ['a vPC domain that did not re-form', new VpcNotConverged(D, 'peer-link down'), 'VpcNotConverged', false],
  ['a table the parser cannot read', new UnreadableOutput(D, 'show standby brief', problem), 'UnreadableOutput', false],
  ['a parser problem before a device is attached', problem, 'UnreadableOutput', false],
  ['a refused API key', new Unauthorized(API, 'GET', '/organizations', 401), 'Unauthorized', false],
  ['a network that is not there', new NotFound(API, 'GET', '/networks/N_1'), 'NotFound', false],
  ['a request the API rejects', new BadRequest(API, 'PUT', '/networks/N_1/firmwareUpgrades', 400, ['bad']), 'BadRequest', false],
  ['a 429', new RateLimited(API, 'GET', '/organizations/1/devices', 2_000), 'RateLimited', true],
  ['a 503 on a GET', new ServerError(API, 'GET', '/organizations', 503, true, 4), 'ServerError', true],
  ['a 502 on a POST that may have been applied', new ServerError(API, 'POST', '/networks/N_1/x', 502, false, 1), 'ServerError', false],
  ['a 501', new ServerError(API, 'GET', '/organizations', 501, false, 1), 'ServerError', false],
  ['a slow GET', new Timeout(API, 'GET', '/organizations', 'headers', true), 'Timeout', true],
  ['a slow POST', new Timeout(API, 'POST', '/networks/N_1/x', 'body', false), 'Timeout', false],
  ['a refused connection before sending', new ConnectionFailed(API, 'POST', '/networks/N_1/x', 'ECONNREFUSED', true, false), 'ConnectionFailed', true],
  ['a reset after a POST was sent', new ConnectionFailed(API, 'POST', '/networks/N_1/x', 'ECONNRESET', false, true), 'ConnectionFailed', false],
  ['a next-page link to another host', new ForeignLink(API, '/organizations/1/devices', 'https://evil.example/x'), 'ForeignLink', false],
  ['a redirect to another host', new ForeignRedirect(API, 'GET', '/organizations', 302, 'https://evil.example/'), 'ForeignRedirect', false],
  ['an unresolvable secret', new SecretResolutionError({ kind: 'env', name: 'LAB_PW' }, 'environment variable LAB_PW is not set on this worker'), 'SecretResolutionError', false],
  ['a result store it may not write', new ResultStoreUnwritable('the result store /r cannot be written; set NETOPS_RESULTS_DIR'), 'ResultStoreUnwritable', false],
  ['a caller name Meraki does not accept', new InvalidCaller('my app'), 'InvalidCaller', false],
  ['a firmware answer without a version id', new FirmwareAnswerError('N_1', 'has no version id in products.switch'), 'FirmwareAnswerError', false],
  ['a firmware the network does not offer', new UnknownFirmwareVersion('N_1', 'MS 99', 'MS 17.1.4'), 'UnknownFirmwareVersion', false],
  ['a status row netops cannot count', new UnreadableStatusRow('O_1', 'a device without a serial', {}), 'UnreadableStatusRow', false],
  ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')"), 'TypeError', true],
  ['a plain error', new Error('socket hang up'), 'Error', true],
  ['an impostor named like a known type', Object.assign(new Error('cannot resolve secret env:PW'), { name: 'SecretResolutionError' }), 'Error', true],
];

describe('the failure policy', () => {
  it.each(CASES.map(([label, err, type, retryable]) => ({ label, err, type, retryable })))('$label leaves as $type, retryable $retryable', ({ err, type, retryable }) => {
    const f = toActivityFailure(err, D);
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f).toMatchObject({ type, nonRetryable: !retryable });
    // Every message says which device (or network, organisation, dashboard) it is about.
    expect(f.message).toMatch(/core-r1|network N_1|organisation O_1|dashboard api\.example\.com/);
  });

  it('every DeviceError class (devices/ and the activities that add one) is a case above and has a policy, in its own family', () => {
    const classes = (mod: Record<string, unknown>) =>
      Object.values(mod).filter((v): v is abstract new (...a: never[]) => DeviceError => typeof v === 'function' && v.prototype instanceof DeviceError && v !== RestError);
    const cased = new Set(CASES.map(([, err]) => err.constructor));
    for (const c of [...classes(sshErrors), ...classes(vpcActivities)]) {
      expect(cased, c.name).toContain(c);
      expect(Object.keys(SSH_FAILURES)).toContain(c.name);
    }
    for (const c of classes(restErrors)) {
      expect(cased, c.name).toContain(c);
      expect(Object.keys(REST_FAILURES)).toContain(c.name);
    }
    expect(classes(sshErrors).length + classes(vpcActivities).length + classes(restErrors).length).toBe(Object.keys(SSH_FAILURES).length + Object.keys(REST_FAILURES).length);
  });

  it("the table in contracts and the classes' own flags agree, so neither can drift", () => {
    for (const [label, err, type] of CASES) {
      if (!(err instanceof DeviceError)) continue;
      const policy = FAILURE_POLICY[type as keyof typeof FAILURE_POLICY];
      if (policy === 'per-case') continue;
      expect(err.retryable, `${label} (${type})`).toBe(policy === 'retry');
    }
    // A type whose retryability depends on the case has both kinds above.
    for (const [type, policy] of Object.entries(FAILURE_POLICY)) {
      if (policy !== 'per-case') continue;
      expect(new Set(CASES.filter(([, , t]) => t === type).map(([, , , r]) => r)), type).toEqual(new Set([true, false]));
    }
  });

  it("the workflows' retry options name exactly the types the table says never to retry, per family", () => {
    const never = (t: Record<string, string>) => Object.keys(t).filter((k) => t[k] === 'never');
    expect([...DEVICE_NON_RETRYABLE].sort()).toEqual([...never(SSH_FAILURES), ...never(WORKER_FAILURES)].sort());
    expect([...DASHBOARD_NON_RETRYABLE].sort()).toEqual([...never(REST_FAILURES), ...never(DASHBOARD_FAILURES), ...never(WORKER_FAILURES)].sort());
    expect(DEVICE_RETRY.nonRetryableErrorTypes).toEqual([...DEVICE_NON_RETRYABLE]);
    expect(DASHBOARD_RETRY.nonRetryableErrorTypes).toEqual([...DASHBOARD_NON_RETRYABLE]);
    // The types the issue found missing from the old copy are there now; a per-case type never is.
    expect(DEVICE_RETRY.nonRetryableErrorTypes).toEqual(expect.arrayContaining(['UnknownHostKey', 'WrongVersion', 'SecretResolutionError', 'UnreadableOutput']));
    expect(DEVICE_RETRY.nonRetryableErrorTypes).not.toContain('HashMismatch');
    expect(DASHBOARD_RETRY.nonRetryableErrorTypes).not.toEqual(expect.arrayContaining(['ServerError']));
    expect(DASHBOARD_RETRY.nonRetryableErrorTypes).not.toContain('Timeout');
  });

  it("every case's retryability is the table's when the table decides, and a non-retryable case is in its family's retry options", () => {
    for (const [label, , type, retryable] of CASES) {
      const policy = FAILURE_POLICY[type as keyof typeof FAILURE_POLICY];
      if (policy === 'never' || policy === 'retry') expect(retryable, label).toBe(policy === 'retry');
      if (!retryable && policy === 'never') expect([...DEVICE_NON_RETRYABLE, ...DASHBOARD_NON_RETRYABLE], label).toContain(type);
    }
  });

  it('a 501 is final and does not claim a write may have happened', () => {
    const err = new ServerError(API, 'GET', '/organizations', 501, false, 1);
    expect(err.writeMayHaveHappened).toBe(false);
    expect(toActivityFailure(err).message).not.toMatch(/may or may not/);
  });

  it("a 429 carries the server's Retry-After as the next retry's delay", () => {
    expect(toActivityFailure(new RateLimited(API, 'GET', '/organizations/1/devices', 7_000))).toMatchObject({ type: 'RateLimited', nonRetryable: false, nextRetryDelay: 7_000 });
    expect((toActivityFailure(new Unreachable(D, '10.0.0.1:22', 'ECONNREFUSED')) as ApplicationFailure).nextRetryDelay).toBeUndefined();
  });

  it("a device error's details are its secret-free record, which workflows read", () => {
    const f = toActivityFailure(new BadRequest(API, 'POST', '/networks/N_1/x', 400, ["'toVersion.shortName' is required"]));
    expect(f.details?.[0]).toMatchObject({ type: 'BadRequest', method: 'POST', path: '/networks/N_1/x', apiErrors: ["'toVersion.shortName' is required"] });
    expect(f.message).toContain("'toVersion.shortName' is required");
  });

  it('an unresolvable secret says what to do, and names only the reference', () => {
    const f = toActivityFailure(new SecretResolutionError({ kind: 'env', name: 'LAB_PW' }, 'environment variable LAB_PW is not set on this worker'), D);
    expect(f.message).toBe('core-r1: cannot resolve secret env:LAB_PW: environment variable LAB_PW is not set on this worker. Set the secret on this worker (or fix the reference in the inventory), then retry; retrying as it is will not help.');
    expect(f.details?.[0]).toMatchObject({ hint: expect.stringMatching(/Set the secret/) });
  });

  it('an unexpected error keeps its message and its stack, named after the device', () => {
    const err = new TypeError("Cannot read properties of undefined (reading 'x')");
    const f = toActivityFailure(err, D);
    expect(f.message).toMatch(/^core-r1: Cannot read properties of undefined \(reading 'x'\) \(unexpected TypeError; if it persists, the worker log has its stack\)$/);
    expect(f.stack).toContain('failure-policy.test.ts');
    expect(describeFailure('a string thrown', D)).toMatchObject({ type: 'Error', retryable: true, message: expect.stringMatching(/^core-r1: a string thrown/) });
  });

  it('passes the SDK\'s own failures through: an ApplicationFailure as raised, a cancellation as a cancellation', () => {
    const raised = ApplicationFailure.create({ type: 'UpgradeConflict', message: 'x', nonRetryable: true });
    expect(toActivityFailure(raised, D)).toBe(raised);
    const cancelled = new CancelledFailure('CANCELLED');
    expect(toActivityFailure(cancelled, D)).toBe(cancelled);
  });

  it('failures an activity raises itself take their retryability from the table', () => {
    expect(activityFailure('UpgradeConflict', 'network N_1: another upgrade is pending')).toMatchObject({ type: 'UpgradeConflict', nonRetryable: true });
    const f = writeOutcomeUnknown('network N_1: scheduling', new ServerError(API, 'POST', '/networks/N_1/x', 500, false, 1));
    expect(f).toMatchObject({ type: 'WriteOutcomeUnknown', nonRetryable: false });
    expect(f.message).toMatch(/may or may not have happened.*will not apply the change twice/);
  });
});

describe('no secret in a failure', () => {
  const SECRETS = ['hunter2', 's3cr3t', '0822455D0A16', '$9$abc$def', 'AbCdEf0123456789', 'tok-9f8e7d'];
  const leaks = (f: ApplicationFailure | CancelledFailure) => {
    const text = JSON.stringify({ message: f.message, details: (f as ApplicationFailure).details, stack: f.stack });
    return SECRETS.filter((s) => text.includes(s));
  };

  it.each([
    ['a rejected line with a secret', new CommandRejected(D, 'username admin secret 9 $9$abc$def', "username admin secret 9 $9$abc$def\n% Invalid input detected at '^' marker.")],
    ['a rejected BGP password', new CommandRejected(D, 'neighbor 10.0.0.2 password s3cr3t', '% Unknown command')],
    ['a timeout quoting a key-string', new TimedOut(D, 'command', 5_000, 'key-string 7 0822455D0A16')],
    ['a rollback quoting a secret', new RollbackFailed(D, 'still differs: standby 10 authentication text hunter2', 'restore it by hand')],
    ['an unreadable table quoting a key', new UnreadableOutput(D, 'show run', new ParseProblem('keys', [{ line: ' key-string 7 0822455D0A16', reason: 'x' }]))],
    ['a parser problem quoting a password', new ParseProblem('neighbors', [{ line: 'neighbor 10.0.0.2 password s3cr3t', reason: 'x' }])],
    ['a library error quoting a header', new Error('request failed: X-Cisco-Meraki-API-Key: AbCdEf0123456789')],
    ['a library error quoting a bearer token', new Error('401 for Authorization: Bearer tok-9f8e7d')],
    ['a library error quoting a URL with a password', new Error('cannot connect to ssh://admin:x@r1?password=hunter2')],
    ['an unresolvable secret', new SecretResolutionError({ kind: 'file', path: '/run/secrets/lab' }, 'the file is empty')],
  ])('%s', (_label, err) => {
    const f = toActivityFailure(err, D);
    expect(leaks(f)).toEqual([]);
    expect(f.message).toMatch(/^core-r1: /);
  });
});
