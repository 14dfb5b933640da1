import {
  type DeviceConfig,
  type InterfaceConfig,
  type RedundancyConfig,
  canonicalInterface,
  findInterface,
  isIpv4,
  maskToLength,
} from './config-model';
import type { LabPlatform } from './types';

/** Where a configuration session is: global config mode or one of its sub-modes. */
export type ConfigContext =
  | { mode: 'config' }
  | { mode: 'if'; iface: string }
  | { mode: 'if-hsrp'; iface: string; group: number }
  | { mode: 'router' };

/** Outcome of one config line: the new context, or leaving config mode, or an error. */
export type ApplyResult =
  | { ok: true; next: ConfigContext | 'exec' }
  /** `at` is the index in the line of the token the parser rejected (for the caret). */
  | { ok: false; error: 'invalid'; at: number }
  | { ok: false; error: 'incomplete' }
  /** Refused in the device's own words, e.g. an FRR daemon's `BGP is already running; AS is 65001`. */
  | { ok: false; error: 'message'; text: string };

/** Prompt suffix of a context, e.g. `(config-if)`. */
export function contextPrompt(ctx: ConfigContext): string {
  switch (ctx.mode) {
    case 'config':
      return '(config)';
    case 'if':
      return '(config-if)';
    case 'if-hsrp':
      return '(config-if-hsrp)';
    case 'router':
      return '(config-router)';
  }
}

interface Tok {
  text: string;
  at: number;
}

function tokenize(line: string): Tok[] {
  const out: Tok[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push({ text: m[0], at: m.index });
  return out;
}

class Reject {
  constructor(readonly result: ApplyResult) {}
}

const invalid = (t: Tok | undefined, line: string): never => {
  throw new Reject({ ok: false, error: 'invalid', at: t ? t.at : line.length });
};
const refuse = (text: string): never => {
  throw new Reject({ ok: false, error: 'message', text });
};
const incomplete = (): never => {
  throw new Reject({ ok: false, error: 'incomplete' });
};

/** Matches a keyword the way IOS does: any unambiguous prefix of at least `min` characters. */
function kw(t: Tok | undefined, word: string, min = word.length): boolean {
  if (!t) return false;
  const s = t.text.toLowerCase();
  return s.length >= Math.min(min, word.length) && word.startsWith(s);
}

function num(t: Tok | undefined, line: string, lo: number, hi: number): number {
  if (!t) return incomplete();
  const n = Number(t.text);
  if (!/^\d+$/.test(t.text) || n < lo || n > hi) return invalid(t, line);
  return n;
}

function ip(t: Tok | undefined, line: string): string {
  if (!t) return incomplete();
  if (!isIpv4(t.text)) return invalid(t, line);
  return t.text;
}

/**
 * Applies one configuration line to `config` (mutating it) in context `ctx`.
 * Lines a sub-mode does not know fall through to the parent mode, as on the
 * real CLIs, where typing a global command in interface mode just works.
 */
export function applyConfigLine(platform: LabPlatform, config: DeviceConfig, ctx: ConfigContext, line: string): ApplyResult {
  const toks = tokenize(line);
  if (toks.length === 0 || line.trim().startsWith('!')) return { ok: true, next: ctx };
  const chain: ConfigContext[] = [ctx];
  if (ctx.mode === 'if-hsrp') chain.push({ mode: 'if', iface: ctx.iface });
  if (ctx.mode !== 'config') chain.push({ mode: 'config' });
  let first: ApplyResult | undefined;
  for (const c of chain) {
    const draft = structuredClone(config);
    try {
      const next = applyIn(platform, draft, c, toks, line);
      Object.assign(config, draft);
      return { ok: true, next };
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      first ??= e.result;
    }
  }
  return first!;
}

function applyIn(p: LabPlatform, cfg: DeviceConfig, ctx: ConfigContext, toks: Tok[], line: string): ConfigContext | 'exec' {
  const [t0] = toks;
  if (kw(t0, 'end', 3) && toks.length === 1) return 'exec';
  if (kw(t0, 'exit', 3) && toks.length === 1) {
    if (ctx.mode === 'config') return 'exec';
    if (ctx.mode === 'if-hsrp') return { mode: 'if', iface: ctx.iface };
    return { mode: 'config' };
  }
  switch (ctx.mode) {
    case 'config':
      return applyGlobal(p, cfg, toks, line);
    case 'if':
      return applyInterface(p, cfg, ctx.iface, toks, line);
    case 'if-hsrp':
      applyHsrpSub(cfg, ctx.iface, ctx.group, toks, line);
      return ctx;
    case 'router':
      applyRouter(p, cfg, toks, line);
      return ctx;
  }
}

function applyGlobal(p: LabPlatform, cfg: DeviceConfig, toks: Tok[], line: string): ConfigContext {
  const neg = kw(toks[0], 'no', 2);
  const t = neg ? toks.slice(1) : toks;
  const [a, b, c] = t;
  if (!a) return incomplete();
  if (kw(a, 'hostname', 4)) {
    if (neg) {
      cfg.hostname = p === 'nxos' ? 'switch' : p === 'frr' ? 'frr' : 'Router';
      return { mode: 'config' };
    }
    if (!b) return incomplete();
    if (t.length > 2) return invalid(c, line);
    cfg.hostname = b.text;
    return { mode: 'config' };
  }
  if (kw(a, 'interface', 3)) {
    if (!b) return incomplete();
    const rest = line.slice(b.at).trim();
    const name = canonicalInterface(rest);
    if (!/^[A-Za-z][\w/.-]*$/.test(name)) return invalid(b, line);
    if (neg) {
      cfg.interfaces = cfg.interfaces.filter((i) => i.name.toLowerCase() !== name.toLowerCase());
      return { mode: 'config' };
    }
    if (!findInterface(cfg, name)) cfg.interfaces.push({ name, shutdown: p === 'nxos' && name.startsWith('Vlan') });
    return { mode: 'if', iface: findInterface(cfg, name)!.name };
  }
  if (kw(a, 'router', 3)) {
    if (!kw(b, 'bgp', 3)) return b ? invalid(b, line) : incomplete();
    if (neg) {
      delete cfg.bgp;
      return { mode: 'config' };
    }
    const asn = num(c, line, 1, 4294967295);
    if (cfg.bgp && cfg.bgp.asn !== asn) return p === 'frr' ? refuse(`BGP is already running; AS is ${cfg.bgp.asn}`) : invalid(c, line);
    cfg.bgp ??= { asn, neighbors: [] };
    return { mode: 'router' };
  }
  // FRR has no image, hence no boot variable: `boot` is an unknown command there.
  if (p !== 'frr' && kw(a, 'boot', 4)) {
    const keyword = p === 'nxos' ? 'nxos' : 'system';
    if (!b) return incomplete();
    if (!kw(b, keyword, 3)) return invalid(b, line);
    if (neg) {
      cfg.boot = c ? cfg.boot.filter((x) => x !== c.text) : [];
      return { mode: 'config' };
    }
    if (!c) return incomplete();
    if (!/^[a-z]+:\S+$/i.test(c.text)) return invalid(c, line);
    if (p === 'nxos') cfg.boot = [c.text];
    else if (!cfg.boot.includes(c.text)) cfg.boot.push(c.text);
    return { mode: 'config' };
  }
  if (p === 'nxos' && kw(a, 'feature', 3)) {
    if (!b) return incomplete();
    const known = ['hsrp', 'bgp', 'interface-vlan', 'lacp', 'vpc', 'ospf', 'scp-server', 'sftp-server'];
    const f = known.find((k) => kw(b, k, k.length));
    if (!f) return invalid(b, line);
    cfg.features = neg ? cfg.features.filter((x) => x !== f) : [...new Set([...cfg.features, f])].sort();
    return { mode: 'config' };
  }
  return invalid(a, line);
}

function iface(cfg: DeviceConfig, name: string): InterfaceConfig {
  return findInterface(cfg, name)!;
}

function ensureGroup(i: InterfaceConfig, group: number, p: LabPlatform): RedundancyConfig {
  if (!i.redundancy || i.redundancy.group !== group) {
    i.redundancy = { group, priority: 100, preempt: p === 'frr', preemptDelaySec: 0 };
  }
  return i.redundancy;
}

function applyInterface(p: LabPlatform, cfg: DeviceConfig, name: string, toks: Tok[], line: string): ConfigContext {
  const i = iface(cfg, name);
  const here: ConfigContext = { mode: 'if', iface: i.name };
  const neg = kw(toks[0], 'no', 2);
  const t = neg ? toks.slice(1) : toks;
  const [a, b, c, d] = t;
  if (!a) return incomplete();
  if (kw(a, 'description', 4)) {
    if (neg) delete i.description;
    else if (!b) return incomplete();
    else i.description = line.slice(b.at).trim();
    return here;
  }
  if (kw(a, 'shutdown', 4) && t.length === 1) {
    i.shutdown = !neg;
    return here;
  }
  if (kw(a, 'ip', 2)) {
    if (!kw(b, 'address', 3)) return b ? invalid(b, line) : incomplete();
    if (neg) {
      delete i.address;
      return here;
    }
    if (!c) return incomplete();
    if (p === 'iosxe') {
      const addr = ip(c, line);
      if (!d) return incomplete();
      const len = maskToLength(d.text);
      if (len === undefined) return invalid(d, line);
      i.address = `${addr}/${len}`;
    } else {
      const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(c.text);
      if (!m || !isIpv4(m[1]!) || Number(m[2]) > 32) return invalid(c, line);
      i.address = c.text;
    }
    return here;
  }
  if (p === 'iosxe' && kw(a, 'standby', 4)) {
    const group = num(b, line, 0, 255);
    if (neg && !c) {
      delete i.redundancy;
      return here;
    }
    applyGroupSetting(p, i, group, t.slice(2), neg, line);
    return here;
  }
  if (p === 'frr' && kw(a, 'vrrp', 4)) {
    const group = num(b, line, 1, 255);
    if (neg && !c) {
      delete i.redundancy;
      return here;
    }
    if (!c || (kw(c, 'version', 4) && ['2', '3'].includes(d?.text ?? '') && t.length === 4)) {
      ensureGroup(i, group, p);
      return here;
    }
    applyGroupSetting(p, i, group, t.slice(2), neg, line);
    return here;
  }
  if (p === 'nxos' && kw(a, 'hsrp', 4)) {
    const group = num(b, line, 0, 4095);
    if (t.length > 2) return invalid(c, line);
    if (!cfg.features.includes('hsrp')) return invalid(a, line);
    if (neg) {
      delete i.redundancy;
      return here;
    }
    ensureGroup(i, group, p);
    return { mode: 'if-hsrp', iface: i.name, group };
  }
  return invalid(a, line);
}

/** `priority N`, `preempt [delay minimum S]`, `ip A` after the group number (or inside NX-OS `hsrp G`). */
function applyGroupSetting(p: LabPlatform, i: InterfaceConfig, group: number, t: Tok[], neg: boolean, line: string): void {
  const [a, b, c, d, e] = t;
  if (!a) return incomplete();
  if (neg && (!i.redundancy || i.redundancy.group !== group)) return;
  const g = ensureGroup(i, group, p);
  if (kw(a, 'priority', 3)) {
    if (neg) {
      g.priority = 100;
      return;
    }
    g.priority = num(b, line, p === 'frr' ? 1 : 0, p === 'frr' ? 254 : 255);
    if (c) invalid(c, line);
    return;
  }
  if (kw(a, 'preempt', 3)) {
    if (neg) {
      g.preempt = false;
      g.preemptDelaySec = 0;
      return;
    }
    g.preempt = true;
    if (!b) {
      g.preemptDelaySec = 0;
      return;
    }
    if (p === 'frr' || !kw(b, 'delay', 3)) return invalid(b, line);
    if (!kw(c, 'minimum', 3)) return c ? invalid(c, line) : incomplete();
    g.preemptDelaySec = num(d, line, 0, 3600);
    if (e) invalid(e, line);
    return;
  }
  if (kw(a, 'ip', 2)) {
    if (neg) {
      delete g.virtualIp;
      return;
    }
    g.virtualIp = ip(b, line);
    return;
  }
  return invalid(a, line);
}

function applyHsrpSub(cfg: DeviceConfig, name: string, group: number, toks: Tok[], line: string): void {
  const neg = kw(toks[0], 'no', 2);
  applyGroupSetting('nxos', iface(cfg, name), group, neg ? toks.slice(1) : toks, neg, line);
}

function applyRouter(p: LabPlatform, cfg: DeviceConfig, toks: Tok[], line: string): void {
  const bgp = cfg.bgp!;
  const neg = kw(toks[0], 'no', 2);
  const t = neg ? toks.slice(1) : toks;
  const [a, b, c, d] = t;
  if (kw(a, 'neighbor', 3)) {
    const addr = ip(b, line);
    if (neg) {
      bgp.neighbors = bgp.neighbors.filter((n) => n.ip !== addr);
      return;
    }
    if (!kw(c, 'remote-as', 6)) return c ? invalid(c, line) : incomplete();
    const remoteAs = num(d, line, 1, 4294967295);
    bgp.neighbors = bgp.neighbors.filter((n) => n.ip !== addr).concat({ ip: addr, remoteAs });
    return;
  }
  if (kw(a, 'bgp', 3) && kw(b, 'router-id', 6)) {
    if (neg) delete bgp.routerId;
    else bgp.routerId = ip(c, line);
    return;
  }
  // FRR's graceful isolation of BGP (IOS-XE and NX-OS spell theirs differently and the lab does not model them).
  if (p === 'frr' && kw(a, 'bgp', 3) && kw(b, 'graceful-shutdown', 10)) {
    if (c) return invalid(c, line);
    if (neg) delete bgp.gracefulShutdown;
    else bgp.gracefulShutdown = true;
    return;
  }
  return invalid(a, line);
}
