import { isIP } from 'node:net';
import { z } from 'zod';
import { normalizePlatform, PLATFORM_NAMES } from './platforms';
import { looksLikeSecretRef, parseSecretRef } from './secret-ref';
import { didYouMean, listChoices } from './suggest';
import { PLATFORMS, WEEKDAYS, type HostKeyCheck, type Weekday } from './types';

/*
 * Leaf rules for inventory fields. Each rule's message is the "expected ..."
 * half of a problem; the "found ..." half is added where positions are known
 * (zod-problems.ts), from the value in the file.
 */

/** A zod schema that accepts what `explain` does not object to. */
export function rule<T>(explain: (value: unknown) => string | undefined): z.ZodType<T> {
  return z.unknown().superRefine((value, ctx) => {
    const expected = explain(value);
    if (expected !== undefined) ctx.addIssue({ code: 'custom', message: expected, input: value });
  }) as unknown as z.ZodType<T>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NAME_EXPECTED = 'a name of letters, digits, ".", "_" or "-"';

export function isValidName(value: string): boolean {
  return NAME.test(value);
}

export const nameRule = rule<string>((v) => (typeof v === 'string' && NAME.test(v) ? undefined : `expected ${NAME_EXPECTED}`));

export const nameListRule = z.array(nameRule, { error: `expected a list of names, e.g. [core, edge]` });

const TAG = /^[^\s,]+$/;
export const tagListRule = z.array(
  rule<string>((v) => (typeof v === 'string' && TAG.test(v) ? undefined : 'expected a tag without spaces or commas')),
  { error: 'expected a list of tags, e.g. [edge, lab]' },
);

export function isValidHost(value: string): boolean {
  if (isIP(value) !== 0) return true;
  if (value.length > 253) return false;
  const labels = value.replace(/\.$/, '').split('.');
  // All-numeric dotted names are mistyped IPv4 addresses, not host names.
  if (labels.every((l) => /^\d+$/.test(l))) return false;
  return labels.every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

export const hostRule = rule<string>((v) =>
  typeof v === 'string' && isValidHost(v) ? undefined : 'expected an IPv4/IPv6 address or a DNS host name',
);

export const portRule = rule<number>((v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? undefined : 'expected a port number 1-65535',
);

export const platformRule = rule<string>((v) => {
  if (typeof v === 'string' && normalizePlatform(v)) return undefined;
  const hint = typeof v === 'string' ? didYouMean(v, PLATFORM_NAMES) : '';
  return `expected one of ${listChoices(PLATFORMS)} (Nornir/Netmiko names such as cisco_ios are accepted)${hint}`;
});

const HOST_KEY_CHECKS: readonly HostKeyCheck[] = ['strict', 'tofu', 'off'];
export const hostKeyCheckRule = rule<HostKeyCheck>((v) =>
  typeof v === 'string' && (HOST_KEY_CHECKS as readonly string[]).includes(v)
    ? undefined
    : `expected ${listChoices(HOST_KEY_CHECKS)}${typeof v === 'string' ? didYouMean(v, HOST_KEY_CHECKS) : ''}`,
);

const HOST_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh\.com) AAAA[A-Za-z0-9+/]+={0,2}( \S.*)?$/;
export const hostKeyRule = rule<string>((v) =>
  typeof v === 'string' && HOST_KEY.test(v) ? undefined : 'expected an OpenSSH public key such as "ssh-ed25519 AAAA..."',
);

export const pathRule = rule<string>((v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'expected a file path'));

export const dataRule = z.record(z.string(), z.unknown(), { error: 'expected a mapping of variables' });

export const usernameRule = rule<string>((v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'expected a user name'));

export const booleanRule = rule<boolean>((v) => (typeof v === 'boolean' ? undefined : 'expected true or false'));

/** Secret fields hold references; the base dir only matters for resolving, not for checking. */
export const secretRule = rule<string>((v) => {
  if (typeof v !== 'string') return 'expected a reference: env:NAME or file:PATH';
  const parsed = parseSecretRef(v, '.');
  return parsed.ok ? undefined : `expected ${parsed.expected}`;
});

/** Field names whose values are never echoed back in messages. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'enable_secret', 'passphrase', 'secret']);

export function isLiteralSecret(value: unknown): boolean {
  return typeof value === 'string' && !looksLikeSecretRef(value);
}

let canonicalZones: Set<string> | undefined;

export function isValidTimeZone(value: string): boolean {
  // The list answers the usual names in microseconds; the first DateTimeFormat
  // loads ICU's locale data (100-400 ms of every `inventory validate`). UTC
  // (which ECMA-402 requires) and aliases are not listed: ICU decides those.
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (value === 'UTC' || canonicalZones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneRule = rule<string>((v) =>
  typeof v === 'string' && isValidTimeZone(v) ? undefined : 'expected an IANA time zone such as "Europe/Amsterdam" or "UTC"',
);

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const timeRule = rule<string>((v) => (typeof v === 'string' && TIME.test(v) ? undefined : 'expected a time "HH:MM" from "00:00" to "23:59"'));

export const weekdayRule = rule<Weekday>((v) => {
  if (typeof v === 'string' && (WEEKDAYS as readonly string[]).includes(v)) return undefined;
  const hint = typeof v === 'string' ? didYouMean(v.slice(0, 3), WEEKDAYS) : '';
  return `expected a day: ${WEEKDAYS.join(', ')}${hint}`;
});

export const windowRule = z
  .strictObject(
    {
      days: z.array(weekdayRule, { error: 'expected a list of days, e.g. [sat, sun]' }).min(1, { error: 'expected at least one day' }),
      start: timeRule,
      end: timeRule,
    },
    { error: 'expected a window such as {days: [sat], start: "01:00", end: "05:00"}' },
  )
  .superRefine((w, ctx) => {
    if (typeof w.start === 'string' && w.start === w.end) {
      ctx.addIssue({ code: 'custom', path: ['end'], input: w.end, message: 'expected an end different from the start (a window cannot be empty)' });
    }
  });
