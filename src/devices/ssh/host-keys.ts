import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { HostKeyMismatch, UnknownHostKey } from '../errors';
import type { SessionLogger, SessionTarget } from './types';

/** A host key as OpenSSH writes it: `<type> <base64 blob>`. */
export interface OpenSshKey {
  type: string;
  base64: string;
}

export function keyFromBlob(blob: Buffer): OpenSshKey {
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = blob.subarray(4, 4 + len).toString('latin1') || 'unknown';
  return { type, base64: blob.toString('base64') };
}

export function parseOpenSshKey(text: string): OpenSshKey | undefined {
  const t = text.trim().split(/\s+/);
  if (t.length < 2 || !t[1]) return undefined;
  return { type: t[0]!, base64: t[1] };
}

/** `SHA256:...` as `ssh-keygen -l` prints it; what people compare out of band. */
export function fingerprint(key: OpenSshKey): string {
  return `${key.type} SHA256:${createHash('sha256').update(Buffer.from(key.base64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/** known_hosts spells non-default ports as `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function hostMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return pattern.split(',').some((p) => p === name);
}

/** Keys recorded for `name` in a known_hosts file (revoked and CA lines skipped). */
export function knownKeys(file: string, name: string): OpenSshKey[] {
  if (!existsSync(file)) return [];
  const keys: OpenSshKey[] = [];
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const t = line.trim().split(/\s+/);
    if (t.length < 3 || t[0]!.startsWith('#') || t[0]!.startsWith('@')) continue;
    if (hostMatches(t[0]!, name)) keys.push({ type: t[1]!, base64: t[2]! });
  }
  return keys;
}

export function defaultKnownHostsFile(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

/**
 * Builds the check ssh2 calls during key exchange. It records why it refused
 * in `outcome.error`, because ssh2 itself only reports "verification failed".
 *  - strict (default): the pinned `hostKey`, else known_hosts, must match;
 *  - tofu: like strict, but an unknown host is recorded in known_hosts;
 *  - off: everything is accepted, and we say so in the log.
 */
export function makeHostVerifier(target: SessionTarget, logger: SessionLogger): { verify: (key: Buffer) => boolean; outcome: { error?: Error } } {
  const outcome: { error?: Error } = {};
  const verify = (blob: Buffer): boolean => {
    const presented = keyFromBlob(blob);
    if (target.hostKeyCheck === 'off') {
      logger.warn({ device: target.name, hostKey: fingerprint(presented) }, 'host key checking is off for this device; the connection could be intercepted');
      return true;
    }
    const pinned = target.hostKey ? parseOpenSshKey(target.hostKey) : undefined;
    if (pinned) {
      if (pinned.base64 === presented.base64) return true;
      outcome.error = new HostKeyMismatch(target.name, fingerprint(pinned), fingerprint(presented));
      return false;
    }
    const file = target.knownHostsFile ?? defaultKnownHostsFile();
    const name = knownHostsName(target.host, target.port);
    const known = knownKeys(file, name);
    if (known.some((k) => k.base64 === presented.base64)) return true;
    const sameType = known.find((k) => k.type === presented.type) ?? known[0];
    if (sameType) {
      outcome.error = new HostKeyMismatch(target.name, fingerprint(sameType), fingerprint(presented));
      return false;
    }
    if (target.hostKeyCheck === 'tofu') {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      appendFileSync(file, `${name} ${presented.type} ${presented.base64}\n`, { mode: 0o600 });
      logger.warn({ device: target.name, hostKey: fingerprint(presented), knownHosts: file }, 'trusting a new host key on first use');
      return true;
    }
    outcome.error = new UnknownHostKey(target.name, fingerprint(presented));
    return false;
  };
  return { verify, outcome };
}
