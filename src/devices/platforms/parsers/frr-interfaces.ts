import { ParseProblem, type UnreadableLine } from '../../errors';
import type { InterfaceBrief } from '../types';

/**
 * FRR `show interface json` (zebra). Its `show interface brief` prints only
 * the administrative state, so an interface that vrrpd holds protodown (the
 * macvlan of a VRRP backup) reads `up` there; the JSON carries the
 * administrative and operational states and the protodown flag, which is
 * what makes an interface really up.
 */
export function parseFrrInterfaces(text: string): InterfaceBrief[] {
  const json = jsonOf(text);
  if (json === undefined || typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ParseProblem('interface table', [{ line: firstLine(text), reason: 'not the JSON object `show interface json` prints' }]);
  }
  const out: InterfaceBrief[] = [];
  const problems: UnreadableLine[] = [];
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    const row = readInterface(name, raw);
    if (typeof row === 'string') problems.push({ line: `"${name}": ${JSON.stringify(raw)?.slice(0, 200)}`, reason: row });
    else out.push(row);
  }
  if (problems.length > 0) throw new ParseProblem('interface table', problems, out);
  return out;
}

const STATUS = new Set(['up', 'down']);

function readInterface(name: string, raw: unknown): InterfaceBrief | string {
  if (typeof raw !== 'object' || raw === null) return 'not an interface object';
  const i = raw as Record<string, unknown>;
  const admin = i['administrativeStatus'];
  const oper = i['operationalStatus'];
  if (typeof admin !== 'string' || !STATUS.has(admin)) return `administrativeStatus '${String(admin)}' is neither up nor down`;
  if (typeof oper !== 'string' || !STATUS.has(oper)) return `operationalStatus '${String(oper)}' is neither up nor down`;
  // zebra omits `protodown` on kernels/drivers without it; when present it is `on` or `off`.
  const protodown = i['protodown'];
  if (protodown !== undefined && protodown !== 'on' && protodown !== 'off') return `protodown '${String(protodown)}' is neither on nor off`;
  const addresses = Array.isArray(i['ipAddresses']) ? (i['ipAddresses'] as { address?: unknown }[]) : [];
  const v4 = addresses.map((a) => a.address).find((a): a is string => typeof a === 'string' && !a.includes(':'));
  const reason = typeof i['protodownReason'] === 'string' ? ` ${i['protodownReason']}` : '';
  const status = admin === 'down' ? 'administratively down' : protodown === 'on' ? `protodown${reason}` : oper;
  return { interface: name, address: v4 ?? 'unassigned', status, protocol: oper, up: admin === 'up' && oper === 'up' && protodown !== 'on' };
}

/** The JSON in a CLI answer: echo and prompt around it are cut off at the outer braces. */
function jsonOf(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.replace(/\r/g, '').split('\n').find((l) => l.trim() !== '')?.trim() ?? '(no output)';
}
