import type { Tok } from './grammar';
import { rejectArg } from './grammar';
import type { CliSession } from './session';

/**
 * Graceful insertion and removal. NX-OS: `system mode maintenance` / `no
 * system mode maintenance` in config mode, listing the profile it applies
 * and asking before it does; IOS-XE (Catalyst 9000): `start maintenance` /
 * `stop maintenance` in exec mode with the default template. Dialogues
 * modelled on Cisco's GIR configuration guides; no capture in the corpora.
 */

const out = (s: CliSession, text: string) => s.io.write(text.replace(/\n/g, '\r\n'));
// Unref'd: a session closed mid-change must not keep the process alive.
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Configured seconds a mode change takes on the device (scaled by the lab's `secondMs`). */
const CHANGE_SECONDS = 3;

function profile(s: CliSession, entering: boolean): string[] {
  const d = s.device;
  const lines: string[] = [];
  const bgp = d.running.bgp;
  const vpc = s.host.fabric?.domain(d);
  if (entering) {
    if (bgp) lines.push(`router bgp ${bgp.asn}`, '  isolate');
    if (vpc) lines.push(`vpc domain ${vpc.id}`, '  shutdown');
  } else {
    if (vpc) lines.push(`vpc domain ${vpc.id}`, '  no shutdown');
    if (bgp) lines.push(`router bgp ${bgp.asn}`, '  no isolate');
  }
  return lines;
}

async function nxosSystemMode(s: CliSession, args: Tok[], entering: boolean): Promise<void> {
  if (args.length) rejectArg(args[0]);
  const d = s.device;
  const target = entering ? 'maintenance' : 'normal';
  if (d.systemMode === target) {
    out(s, `System mode is already ${target}.\n`);
    return;
  }
  const steps = profile(s, entering);
  out(s, `Following configuration will be applied:\n\n${steps.join('\n')}\n\n`);
  if (entering) out(s, 'NOTE: The command can take up to 5 minutes to complete. Using CTRL+C or CTRL+Z will not abort the command\n');
  const a = await s.ask('Do you want to continue (yes/no)? [no] ');
  if (!/^y(es?)?$/i.test(a.trim())) return;
  s.host.markMutating('config');
  if (entering) out(s, '\nGenerating a snapshot before going into maintenance mode\n');
  out(s, '\nStarting to apply commands...\n\n');
  for (const l of steps) out(s, `Applying : ${l}\n`);
  await sleep(CHANGE_SECONDS * s.host.timings.secondMs);
  d.setSystemMode(target, s.id);
  if (entering) out(s, '\nMaintenance mode operation successful.\n');
  else out(s, '\nGenerating a snapshot after going into normal mode\n\nMode change operation successful.\n');
}

export const enterNxosMaintenance = (s: CliSession, args: Tok[]) => nxosSystemMode(s, args, true);
export const leaveNxosMaintenance = (s: CliSession, args: Tok[]) => nxosSystemMode(s, args, false);

export async function startMaintenance(s: CliSession, args: Tok[]): Promise<void> {
  if (args.length) rejectArg(args[0]);
  const d = s.device;
  if (d.systemMode === 'maintenance') {
    out(s, '% System is already in maintenance mode\n');
    return;
  }
  const c = await s.ask('Template default will be applied. Do you want to continue?[confirm]', { single: true });
  if (c !== '' && c.toLowerCase() !== 'y') return;
  s.host.markMutating('config');
  await sleep(CHANGE_SECONDS * s.host.timings.secondMs);
  d.setSystemMode('maintenance', s.id);
}

export async function stopMaintenance(s: CliSession, args: Tok[]): Promise<void> {
  if (args.length) rejectArg(args[0]);
  const d = s.device;
  if (d.systemMode === 'normal') {
    out(s, '% System is already in normal mode\n');
    return;
  }
  s.host.markMutating('config');
  await sleep(CHANGE_SECONDS * s.host.timings.secondMs);
  d.setSystemMode('normal', s.id);
}
