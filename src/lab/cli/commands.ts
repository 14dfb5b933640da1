import { parseConfigText } from '../config-render';
import { cloneConfig } from '../config-model';
import { flashBaseName, isOnFlash } from '../flash';
import type { LabPlatform } from '../types';
import { type CommandSpec, type Tok, rejectArg } from './grammar';
import type { CliSession, CommandTable } from './session';
import { enterNxosMaintenance, leaveNxosMaintenance, startMaintenance, stopMaintenance } from './maintenance';
import * as show from './show';
import * as fabric from './show-fabric';

const ALL: LabPlatform[] = ['iosxe', 'nxos', 'frr'];
const CISCO: LabPlatform[] = ['iosxe', 'nxos'];

function cmd(words: string, platforms: LabPlatform[], privileged: boolean, run: CommandSpec<CliSession>['run']): CommandSpec<CliSession> {
  return { words: words.split(' '), platforms, privileged, run };
}

function noArgs(args: Tok[]): void {
  if (args.length) rejectArg(args[0]);
}

const out = (s: CliSession, text: string) => s.io.write(text.replace(/\n/g, '\r\n'));

/** A flash path argument, checked against the device's file systems. */
function fileArg(s: CliSession, t: Tok | undefined): string {
  if (!t) return rejectArg(t);
  if (!isOnFlash(t.text, s.device.flash.fsName)) rejectArg(t);
  return flashBaseName(t.text);
}

const isYes = (a: string) => a.length > 0 && 'yes'.startsWith(a.trim().toLowerCase());
const isNo = (a: string) => a.length > 0 && 'no'.startsWith(a.trim().toLowerCase());

async function enable(s: CliSession, args: Tok[]): Promise<void> {
  noArgs(args);
  if (s.mode.mode !== 'user') return;
  for (let attempt = 0; attempt < 3; attempt++) {
    const pw = await s.ask('Password: ', { hidden: true });
    if (pw === s.host.credentials.enableSecret) {
      s.mode = { mode: 'exec' };
      return;
    }
  }
  out(s, '% Bad secrets\n\n');
}

async function save(s: CliSession, style: 'ios' | 'nxos' | 'frr'): Promise<void> {
  s.host.markMutating('config');
  s.device.save();
  s.host.log.emit({ type: 'config.save', device: s.device.name, session: s.id });
  if (style === 'nxos') out(s, '[########################################] 100%\nCopy complete, now saving to disk (please wait)...\nCopy complete.\n');
  else if (style === 'frr') out(s, 'Note: this version of vtysh never writes vtysh.conf\nBuilding Configuration...\nIntegrated configuration saved to /etc/frr/frr.conf\n[OK]\n');
  else out(s, 'Building configuration...\n[OK]\n');
}

async function copy(s: CliSession, args: Tok[]): Promise<void> {
  const [dst, extra] = args;
  if (!dst || extra) return rejectArg(extra ?? dst);
  if ('startup-config'.startsWith(dst.text.toLowerCase()) && dst.text.length >= 3) {
    if (s.platform === 'iosxe') {
      const a = await s.ask('Destination filename [startup-config]? ');
      if (a.trim() && a.trim() !== 'startup-config') return;
    }
    return save(s, s.platform === 'nxos' ? 'nxos' : s.platform === 'frr' ? 'frr' : 'ios');
  }
  const name = fileArg(s, dst);
  const text = show.showRunning(s.device, 'running').join('\n');
  const bytes = Buffer.from(text);
  const { createHash } = await import('node:crypto');
  try {
    s.device.flash.put({ name, size: bytes.length, md5: createHash('md5').update(bytes).digest('hex'), content: bytes, mtime: new Date() });
  } catch (e) {
    out(s, `%Error copying running-config to ${dst.text} (${(e as Error).message})\n`);
    return;
  }
  out(s, `${bytes.length} bytes copied in 0.012 secs\n`);
}

async function reload(s: CliSession, args: Tok[]): Promise<void> {
  noArgs(args);
  const d = s.device;
  if (s.platform === 'nxos') {
    if (d.configDirty) out(s, '!!!WARNING! there is unsaved configuration!!!\n');
    const a = await s.ask('This command will reboot the system. (y/n)?  [n] ', { single: true });
    if (a.toLowerCase() !== 'y') return;
  } else {
    if (d.configDirty) {
      for (;;) {
        const a = await s.ask('System configuration has been modified. Save? [yes/no]: ');
        if (isYes(a)) {
          await save(s, 'ios');
          break;
        }
        if (isNo(a)) break;
        out(s, "% Please answer 'yes' or 'no'.\n");
      }
    }
    const c = await s.ask('Proceed with reload? [confirm]', { single: true });
    if (c !== '' && c.toLowerCase() !== 'y') return;
  }
  s.host.markMutating('reload');
  out(s, `\n\n%SYS-5-RELOAD: Reload requested by ${s.host.credentials.username} on vty0. Reload Reason: Reload Command.\n`);
  d.reload(s.id);
  // The device closes every session; this command never returns to a prompt.
  await new Promise<void>(() => undefined);
}

async function dir(s: CliSession, args: Tok[]): Promise<void> {
  const [fs, extra] = args;
  if (extra) rejectArg(extra);
  if (fs && (!isOnFlash(fs.text, s.device.flash.fsName) || flashBaseName(fs.text) !== '')) rejectArg(fs);
  await s.print(show.dir(s.device));
}

async function verifyMd5(s: CliSession, args: Tok[]): Promise<void> {
  const [flag, file, expected, extra] = args;
  if (!flag || flag.text.toLowerCase() !== '/md5') return rejectArg(flag);
  if (extra) rejectArg(extra);
  const name = fileArg(s, file);
  const f = s.device.flash.get(name);
  const shown = `${s.device.flash.fsName}${name}`;
  if (!f) {
    out(s, `%Error opening ${shown} (No such file or directory)\n`);
    return;
  }
  out(s, `${'.'.repeat(Math.min(60, 1 + Math.floor(f.size / (32 * 1024 * 1024))))}Done!\n`);
  if (!expected) {
    out(s, `verify /md5 (${shown}) = ${f.md5}\n\n`);
  } else if (expected.text.toLowerCase() === f.md5) {
    out(s, `Verified (${shown}) = ${f.md5}\n\n`);
  } else {
    out(s, `%Error verifying ${shown}\nComputed signature   = ${f.md5}\nSubmitted signature  = ${expected.text}\n\n`);
  }
}

async function nxosShowFile(s: CliSession, args: Tok[]): Promise<void> {
  const [file, what, extra] = args;
  if (extra) rejectArg(extra);
  const name = fileArg(s, file);
  const f = s.device.flash.get(name);
  if (!f) {
    out(s, `/${name}: No such file or directory\n`);
    return;
  }
  if (!what) {
    await s.print((f.content?.toString() ?? '').split(/\r?\n/));
    return;
  }
  if (!'md5sum'.startsWith(what.text.toLowerCase())) return rejectArg(what);
  out(s, `${f.md5}\n`);
}

async function more(s: CliSession, args: Tok[]): Promise<void> {
  const [file, extra] = args;
  if (extra) rejectArg(extra);
  const name = fileArg(s, file);
  const f = s.device.flash.get(name);
  if (!f) {
    out(s, `%Error opening ${s.device.flash.fsName}${name} (No such file or directory)\n`);
    return;
  }
  await s.print((f.content?.toString() ?? '').split(/\r?\n/));
}

async function deleteFile(s: CliSession, args: Tok[]): Promise<void> {
  const force = args.some((a) => a.text.toLowerCase() === '/force');
  const files = args.filter((a) => !a.text.startsWith('/') || a.text.includes('flash'));
  const [file, extra] = files;
  if (extra) rejectArg(extra);
  const name = fileArg(s, file);
  if (!s.device.flash.get(name)) {
    out(s, `%Error deleting ${s.device.flash.fsName}${name} (No such file or directory)\n`);
    return;
  }
  if (!force) {
    if (s.platform === 'nxos') {
      const a = await s.ask(`Do you want to delete "/${name}" ? (yes/no/abort)   [y] `);
      if (a.trim() && !isYes(a)) return;
    } else {
      const a = await s.ask(`Delete filename [${name}]? `);
      if (a.trim() && flashBaseName(a) !== name) return;
      const c = await s.ask(`Delete ${s.device.flash.fsName}/${name}? [confirm]`, { single: true });
      if (c !== '' && c.toLowerCase() !== 'y') return;
    }
  }
  s.host.markMutating('config');
  s.device.flash.delete(name);
}

async function configureTerminal(s: CliSession, args: Tok[]): Promise<void> {
  noArgs(args);
  if (s.platform !== 'frr') out(s, 'Enter configuration commands, one per line.  End with CNTL/Z.\n');
  s.enterConfig();
}

/** Replaces the whole running configuration with a parsed text; false (and a message) when a line is rejected. */
function replaceWith(s: CliSession, text: string, source: string): boolean {
  const parsed = parseConfigText(s.platform, text, s.device.hostname);
  if ('error' in parsed) {
    out(s, `%Error: line ${parsed.line} of ${source} rejected: ${parsed.error}\n`);
    return false;
  }
  s.host.markMutating('config');
  s.device.running = parsed.config;
  s.host.log.emit({ type: 'config.change', device: s.device.name, session: s.id, line: `replace from ${source}` });
  s.device.configChanged();
  return true;
}

async function configureReplace(s: CliSession, args: Tok[]): Promise<void> {
  const [file, force, extra] = args;
  if (extra) rejectArg(extra);
  if (force && !'force'.startsWith(force.text.toLowerCase())) rejectArg(force);
  const name = fileArg(s, file);
  const f = s.device.flash.get(name);
  if (!f?.content) {
    out(s, `%Error opening ${s.device.flash.fsName}${name} (No such file or directory)\n`);
    return;
  }
  if (!force) {
    out(s, 'This will apply all necessary additions and deletions\nto replace the current running configuration with the\ncontents of the specified configuration file, which is\nassumed to be a complete configuration, not a partial\nconfiguration. ');
    const a = await s.ask('Enter Y if you are sure you want to proceed. ? [no]: ');
    if (!isYes(a)) return;
  }
  if (replaceWith(s, f.content.toString(), `${s.device.flash.fsName}${name}`)) out(s, 'Total number of passes: 1\nRollback Done\n\n');
}

async function checkpoint(s: CliSession, args: Tok[]): Promise<void> {
  const [name, extra] = args;
  if (!name) return rejectArg(name);
  if (extra) rejectArg(extra);
  s.device.checkpoints.set(name.text, cloneConfig(s.device.running));
  out(s, '.....Done\n');
}

async function rollback(s: CliSession, args: Tok[]): Promise<void> {
  const [kind, target, extra] = args;
  if (extra) rejectArg(extra);
  if (!kind || !target) return rejectArg(target ?? kind);
  if ('checkpoint'.startsWith(kind.text.toLowerCase())) {
    const cp = s.device.checkpoints.get(target.text);
    if (!cp) {
      out(s, `Checkpoint name ${target.text} does not exist\n`);
      return;
    }
    s.host.markMutating('config');
    s.device.running = cloneConfig(cp);
    s.host.log.emit({ type: 'config.change', device: s.device.name, session: s.id, line: `rollback to checkpoint ${target.text}` });
    s.device.configChanged();
    out(s, 'Note: Applying config parallelly may fail Rollback verification\nCollecting Running-Config\n#Generating Rollback Patch\nExecuting Rollback Patch\nGenerating Running-config for verification\nGenerating Patch for verification\nVerification is Successful.\n\nRollback completed successfully.\n\n');
    return;
  }
  if (!'file'.startsWith(kind.text.toLowerCase())) return rejectArg(kind);
  const name = fileArg(s, target);
  const f = s.device.flash.get(name);
  if (!f?.content) {
    out(s, `/${name}: No such file or directory\n`);
    return;
  }
  if (replaceWith(s, f.content.toString(), `${s.device.flash.fsName}${name}`)) out(s, 'Collecting Running-Config\n#Generating Rollback Patch\nExecuting Rollback Patch\nVerification is Successful.\n\nRollback completed successfully.\n\n');
}

const printer = (lines: (s: CliSession) => string[]) => async (s: CliSession, args: Tok[]) => {
  noArgs(args);
  await s.print(lines(s));
};

/** Every exec-mode command the lab knows, per platform. More keywords win over fewer. */
export const EXEC_COMMANDS: Array<CommandSpec<CliSession>> = [
  cmd('enable', ALL, false, enable),
  cmd('disable', ['iosxe'], true, async (s, a) => {
    noArgs(a);
    s.mode = { mode: 'user' };
  }),
  cmd('exit', ALL, false, async (s, a) => {
    noArgs(a);
    s.close();
    s.io.end(0);
  }),
  cmd('logout', ALL, false, async (s, a) => {
    noArgs(a);
    s.close();
    s.io.end(0);
  }),
  cmd('quit', ['frr'], false, async (s) => {
    s.close();
    s.io.end(0);
  }),
  cmd('terminal length', ALL, false, async (s, [n, extra]) => {
    if (!n || !/^\d+$/.test(n.text) || Number(n.text) > 512 || extra) return rejectArg(extra ?? n);
    s.termLength = Number(n.text);
  }),
  cmd('terminal width', ALL, false, async () => undefined),
  cmd('terminal monitor', CISCO, false, async () => undefined),
  cmd('show version', ALL, false, printer((s) => show.showVersion(s.device))),
  cmd('show running-config', ALL, true, printer((s) => show.showRunning(s.device, 'running'))),
  cmd('show startup-config', CISCO, true, printer((s) => show.showRunning(s.device, 'startup'))),
  // FRR 8.4's vtysh prints nothing here, even with an integrated frr.conf (tried on Debian frr 8.4.4).
  cmd('show startup-config', ['frr'], true, async () => undefined),
  cmd('show ip interface brief', ALL, false, printer((s) => show.showIpInterfaceBrief(s.device))),
  cmd('show interface brief', ['frr'], false, printer((s) => show.showIpInterfaceBrief(s.device))),
  cmd('show interface json', ['frr'], false, printer((s) => show.showInterfaceJson(s.device))),
  cmd('show ip bgp summary', ALL, false, printer((s) => show.showBgpSummary(s.device))),
  cmd('show bgp summary', ['frr'], false, printer((s) => show.showBgpSummary(s.device))),
  cmd('show clock', ALL, false, printer((s) => show.showClock(s.device))),
  cmd('show standby brief', ['iosxe'], false, printer((s) => show.showStandbyBrief(s.device, s.host.peersOf(s.device)))),
  cmd('show hsrp brief', ['nxos'], false, printer((s) => show.showHsrpBrief(s.device, s.host.peersOf(s.device)))),
  cmd('show vrrp', ['frr'], false, printer((s) => show.showVrrp(s.device))),
  cmd('show vrrp summary', ['frr'], false, printer((s) => show.showVrrpSummary(s.device))),
  cmd('show boot', CISCO, false, printer((s) => show.showBoot(s.device))),
  cmd('show bootvar', ['iosxe'], false, printer((s) => show.showBoot(s.device))),
  cmd('show file', ['nxos'], true, nxosShowFile),
  cmd('more', ['iosxe'], true, more),
  // FRR has no image file system: dir, verify, delete, configure replace and reload are Cisco-only (on real vtysh `% Unknown command`).
  cmd('dir', CISCO, true, dir),
  cmd('verify', ['iosxe'], true, verifyMd5),
  cmd('delete', CISCO, true, deleteFile),
  cmd('configure terminal', ALL, true, configureTerminal),
  cmd('configure', ['frr'], true, configureTerminal),
  cmd('configure replace', ['iosxe'], true, configureReplace),
  cmd('write', ['iosxe', 'frr'], true, async (s, [what, extra]) => {
    if (extra) rejectArg(extra);
    if (what && !['memory', 'file'].some((w) => w.startsWith(what.text.toLowerCase()))) rejectArg(what);
    await save(s, s.platform === 'frr' ? 'frr' : 'ios');
  }),
  cmd('copy running-config', CISCO, true, copy),
  cmd('reload', CISCO, true, reload),
  cmd('checkpoint', ['nxos'], true, checkpoint),
  cmd('rollback running-config', ['nxos'], true, rollback),
  // `show vpc brief` prints what `show vpc` prints on NX-OS.
  cmd('show vpc', ['nxos'], false, printer((s) => fabric.showVpc(s.device, s.host.fabric))),
  cmd('show vpc brief', ['nxos'], false, printer((s) => fabric.showVpc(s.device, s.host.fabric))),
  cmd('show vpc role', ['nxos'], false, printer((s) => fabric.showVpcRole(s.device, s.host.fabric))),
  cmd('show vpc peer-keepalive', ['nxos'], false, printer((s) => fabric.showVpcPeerKeepalive(s.device, s.host.fabric))),
  cmd('show vpc consistency-parameters global', ['nxos'], false, printer((s) => fabric.showVpcConsistencyGlobal(s.device, s.host.fabric))),
  cmd('show port-channel summary', ['nxos'], false, printer((s) => fabric.showPortChannelSummary(s.device, s.host.fabric))),
  cmd('show etherchannel summary', ['iosxe'], false, printer((s) => fabric.showEtherchannelSummary(s.device, s.host.fabric))),
  cmd('show lacp neighbor', CISCO, false, printer((s) => fabric.showLacpNeighbor(s.device, s.host.fabric))),
  cmd('show lldp neighbors', CISCO, false, printer((s) => fabric.showLldpNeighbors(s.device, s.host.fabric, false))),
  cmd('show lldp neighbors detail', CISCO, false, printer((s) => fabric.showLldpNeighbors(s.device, s.host.fabric, true))),
  cmd('show cdp neighbors', CISCO, false, printer((s) => fabric.showCdpNeighbors(s.device, s.host.fabric, false))),
  cmd('show cdp neighbors detail', CISCO, false, printer((s) => fabric.showCdpNeighbors(s.device, s.host.fabric, true))),
  cmd('show system mode', CISCO, false, printer((s) => fabric.showSystemMode(s.device))),
  cmd('start maintenance', ['iosxe'], true, startMaintenance),
  cmd('stop maintenance', ['iosxe'], true, stopMaintenance),
];

/** Config-mode commands that run a dialogue instead of changing a config line. */
export const CONFIG_COMMANDS: Array<CommandSpec<CliSession>> = [
  cmd('system mode maintenance', ['nxos'], true, enterNxosMaintenance),
  cmd('no system mode maintenance', ['nxos'], true, leaveNxosMaintenance),
];

/** The lab's whole command table, as the SSH server hands it to every session. */
export const LAB_COMMANDS: CommandTable = { exec: EXEC_COMMANDS, config: CONFIG_COMMANDS };
