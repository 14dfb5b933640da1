/**
 * FRR leaves a setting out of `show running-config` while it holds its
 * default: `vrrp 5 priority 100` is accepted, then shown as `vrrp 5` alone.
 * A push holding a default line would then look unapplied forever. Before
 * the desired lines are compared, the running configuration gets the hidden
 * defaults written out, the way FRR would print them if it printed them.
 *
 * Each entry below was tried on FRR 8.4.4 (Debian) here: pushed, then read
 * back missing from the running configuration. Settings whose default
 * depends on the `frr defaults` profile are listed under that profile only.
 */

interface HiddenDefault {
  /** The setting as a line prefix; a section holding it (or `no` it) in any form shows its own value. */
  setting: string;
  /** The line FRR hides. */
  line: string;
}

/** Per VRRP group N configured under an interface. */
const VRRP_DEFAULTS = (n: string): HiddenDefault[] => [
  { setting: `vrrp ${n} priority`, line: `vrrp ${n} priority 100` },
  { setting: `vrrp ${n} version`, line: `vrrp ${n} version 3` },
  { setting: `vrrp ${n} advertisement-interval`, line: `vrrp ${n} advertisement-interval 1000` },
  { setting: `vrrp ${n} preempt`, line: `vrrp ${n} preempt` },
  { setting: `vrrp ${n} shutdown`, line: `no vrrp ${n} shutdown` },
];

/** Under `router bgp`, with `frr defaults traditional` (what Debian's frr.conf starts from). */
const BGP_TRADITIONAL_DEFAULTS: HiddenDefault[] = [
  { setting: 'bgp ebgp-requires-policy', line: 'bgp ebgp-requires-policy' },
  { setting: 'bgp default ipv4-unicast', line: 'bgp default ipv4-unicast' },
  { setting: 'timers bgp', line: 'timers bgp 60 180' },
];

function holds(children: string[], setting: string): boolean {
  return children.some((c) => c === setting || c.startsWith(`${setting} `) || c === `no ${setting}` || c.startsWith(`no ${setting} `));
}

function hiddenIn(header: string, children: string[], profile: string | undefined): HiddenDefault[] {
  if (/^interface\s/.test(header)) {
    const groups = new Set(children.map((c) => /^vrrp (\d+)\b/.exec(c)?.[1]).filter((g): g is string => g !== undefined));
    return [...groups].flatMap(VRRP_DEFAULTS);
  }
  if (/^router bgp\b/.test(header) && profile === 'traditional') return BGP_TRADITIONAL_DEFAULTS;
  return [];
}

/** The running configuration with FRR's hidden defaults written into their sections (top-level sections only). */
export function withFrrDefaults(running: string): string {
  const lines = running.replace(/\r/g, '').split('\n');
  const profile = lines.map((l) => /^frr defaults (\S+)/.exec(l)?.[1]).find((p) => p !== undefined);
  const out: string[] = [];
  let header: string | undefined;
  let children: string[] = [];
  const close = () => {
    if (header === undefined) return;
    const missing = hiddenIn(header, children, profile).filter((d) => !holds(children, d.setting));
    out.push(...missing.map((d) => ` ${d.line}`));
    header = undefined;
    children = [];
  };
  for (const line of lines) {
    const top = line.length > 0 && !/^\s/.test(line);
    if (top) close();
    out.push(line);
    if (top && /^(interface|router bgp)\b/.test(line)) header = line.trim();
    else if (header !== undefined && /^ \S/.test(line)) children.push(line.trim().replace(/\s+/g, ' '));
  }
  close();
  return out.join('\n');
}
