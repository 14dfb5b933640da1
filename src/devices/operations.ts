import { CommandRejected, HashMismatch, NotEnoughSpace, ParseProblem, UnreadableOutput } from './errors';
import {
  findFile,
  parseBgpSummary,
  parseFileSystem,
  parseHash,
  parseInterfaces,
  parseRedundancy,
  parseVersion,
  parseVpc,
  parseSystemMode,
  type BgpNeighbor,
  type FileSystemInfo,
  type HashResult,
  type InterfaceBrief,
  type RedundancyEntry,
  type VersionInfo,
  type VpcState,
  type SystemMode,
} from './platforms';
import { scpUpload, type Progress, type TransferSource } from './ssh/scp';
import type { DeviceSession } from './ssh/session';
import { sftpUpload } from './ssh/sftp';

/**
 * Device operations composed from a platform dialect and its parsers. Each
 * takes an open session, so an activity runs all its steps on one connection.
 */

/** CLI or host shell, whichever the platform uses for file helpers. */
async function fileCommand(s: DeviceSession, command: string): Promise<string> {
  if (s.dialect.fileOpsOnExec) {
    const r = await s.exec(command);
    return `${r.stdout}${r.stderr}`;
  }
  await s.enable();
  return s.run(command, { check: false });
}

/** Parses one command's output; a line the parser cannot read fails with this device, this command and the line quoted. */
function understood<T>(s: DeviceSession, command: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ParseProblem) throw new UnreadableOutput(s.target.name, command, err);
    throw err;
  }
}

export async function showVersion(s: DeviceSession): Promise<VersionInfo> {
  const out = await s.run(s.dialect.commands.version);
  return understood(s, s.dialect.commands.version, () => parseVersion(s.target.platform, out));
}

export async function showRedundancy(s: DeviceSession): Promise<RedundancyEntry[]> {
  const out = await s.run(s.dialect.commands.redundancy, { check: false });
  return understood(s, s.dialect.commands.redundancy, () => parseRedundancy(s.target.platform, out));
}

/**
 * The vPC domain as the device sees it; `undefined` on a platform without
 * vPC. NX-OS refuses `show vpc` outright while `feature vpc` is off: that is
 * a device in no vPC domain, said as such, not a default.
 */
export async function showVpc(s: DeviceSession): Promise<VpcState | undefined> {
  const command = s.dialect.commands.vpc;
  if (command === undefined) return undefined;
  const out = await s.run(command, { check: false });
  if (s.dialect.rejection.test(out)) return { ...NO_VPC_DOMAIN, peerStatus: `vPC feature not enabled (${out.trim().split('\n')[0]})` };
  return understood(s, command, () => parseVpc(out));
}

const NO_VPC_DOMAIN: VpcState = {
  role: 'none', operationalRole: 'none', peerStatus: '', peerAdjacent: false, keepaliveStatus: '', keepaliveAlive: false,
  consistency: 'failed', configuredVpcs: 0, peerLinks: [], vpcs: [],
};

/** The device's GIR mode; undefined where the platform has no maintenance mode. */
export async function showSystemMode(s: DeviceSession): Promise<SystemMode | undefined> {
  const m = s.dialect.maintenance;
  if (!m) return undefined;
  await s.enable();
  const out = await s.run(m.show);
  return understood(s, m.show, () => parseSystemMode(out));
}

/**
 * Takes the device out of the forwarding path (`maintenance`) or brings it
 * back (`normal`), the platform's way; false when it already was in that
 * mode. A mode change can take minutes (NX-OS applies a whole profile).
 */
export async function setSystemMode(s: DeviceSession, target: SystemMode): Promise<boolean> {
  const m = s.dialect.maintenance;
  if (!m) throw new CommandRejected(s.target.name, 'system mode', `${s.target.platform} has no maintenance mode`);
  if ((await showSystemMode(s)) === target) return false;
  const step = target === 'maintenance' ? m.enter : m.leave;
  const opts = { dialogs: step.dialogs, timeoutMs: 10 * 60_000, idleMs: 10 * 60_000 };
  if (step.configMode) await s.configure(step.lines, opts);
  else for (const line of step.lines) await s.run(line, opts);
  const now = await showSystemMode(s);
  if (now !== target) throw new CommandRejected(s.target.name, step.lines.join('; '), `the device reports System Mode: ${now ?? 'unknown'} after it`);
  return true;
}

export async function showFileSystem(s: DeviceSession): Promise<FileSystemInfo> {
  const out = await fileCommand(s, s.dialect.commands.fileSystem);
  return understood(s, s.dialect.commands.fileSystem, () => parseFileSystem(s.target.platform, out, s.dialect.fileSystem));
}

export async function showInterfaces(s: DeviceSession): Promise<InterfaceBrief[]> {
  const out = await s.run(s.dialect.commands.interfaces, { check: false });
  return understood(s, s.dialect.commands.interfaces, () => parseInterfaces(s.target.platform, out));
}

export async function showBgpSummary(s: DeviceSession): Promise<BgpNeighbor[]> {
  const out = await s.run(s.dialect.commands.bgpSummary, { check: false });
  return understood(s, s.dialect.commands.bgpSummary, () => parseBgpSummary(out));
}

/** The device's own MD5 of a file on its image file system (slow on big images: long timeout). */
export async function deviceMd5(s: DeviceSession, file: string, timeoutMs = 30 * 60_000): Promise<HashResult> {
  const cmd = s.dialect.commands.hashVerify(file);
  // NX-OS prints nothing until the digest is done: the idle guard must not fire first.
  const out = s.dialect.fileOpsOnExec ? (await s.exec(cmd, { timeoutMs, idleMs: timeoutMs })).stdout : await (async () => {
    await s.enable();
    return s.run(cmd, { check: false, timeoutMs, idleMs: timeoutMs });
  })();
  return parseHash(out);
}

/** Deletes a file; a missing file is fine, any other refusal is an error. */
export async function deleteFile(s: DeviceSession, file: string): Promise<void> {
  const command = s.dialect.commands.deleteFile(file);
  const out = await fileCommand(s, command);
  if (/No such file/i.test(out)) return;
  if (s.dialect.rejection.test(out) || /%\s*Error|Permission denied/i.test(out)) throw new CommandRejected(s.target.name, command, out.trim());
}

/** Throws HashMismatch unless the device computes `expectedMd5` for `file`. */
export async function verifyFile(s: DeviceSession, file: string, expectedMd5: string, corruptIsRetryable = true): Promise<string> {
  const got = await deviceMd5(s, file);
  const expected = expectedMd5.toLowerCase();
  if (got.md5 !== expected) throw new HashMismatch(s.target.name, s.dialect.filePath(file), expected, got.md5 ?? got.error ?? 'nothing', corruptIsRetryable);
  return got.md5;
}

export interface UploadRequest {
  source: TransferSource;
  file: string;
  protocol: 'scp' | 'sftp';
  onProgress?: Progress;
}

/** Checks free space, then sends the file. Does not verify: call verifyFile after. */
export async function uploadFile(s: DeviceSession, req: UploadRequest): Promise<void> {
  const fs = await showFileSystem(s);
  const existing = findFile(fs, req.file)?.size ?? 0;
  if (fs.freeBytes !== undefined && fs.freeBytes + existing < req.source.size) {
    throw new NotEnoughSpace(s.target.name, req.source.size, fs.freeBytes, s.dialect.fileSystem);
  }
  const path = s.dialect.filePath(req.file);
  if (req.protocol === 'sftp') await sftpUpload(s, req.source, path, req.onProgress);
  else await scpUpload(s, req.source, path, req.onProgress);
}

export async function setBoot(s: DeviceSession, file: string): Promise<void> {
  const lines = s.dialect.setBootLines(file);
  if (s.dialect.fileOpsOnExec) {
    for (const l of lines) await s.exec(l);
    return;
  }
  await s.configure(lines);
}

export async function saveConfig(s: DeviceSession): Promise<string> {
  await s.enable();
  return s.run(s.dialect.commands.save, { timeoutMs: 5 * 60_000, idleMs: 5 * 60_000 });
}

export async function setPriority(s: DeviceSession, entries: Pick<RedundancyEntry, 'interface' | 'group'>[], priority: number): Promise<void> {
  if (entries.length === 0) return;
  await s.configure(s.dialect.priorityLines(entries, priority));
}

export async function backupConfig(s: DeviceSession, name: string): Promise<void> {
  await s.enable();
  const out = await s.run(s.dialect.commands.configBackup(name), { timeoutMs: 5 * 60_000, idleMs: 5 * 60_000 });
  if (/%\s*Error/i.test(out)) throw new CommandRejected(s.target.name, s.dialect.commands.configBackup(name), out.trim());
}

export async function rollbackConfig(s: DeviceSession, name: string): Promise<string> {
  await s.enable();
  const out = await s.run(s.dialect.commands.configRollback(name), { timeoutMs: 10 * 60_000, idleMs: 10 * 60_000 });
  if (/%\s*Error|does not exist|No such file|Rollback failed/i.test(out)) throw new CommandRejected(s.target.name, s.dialect.commands.configRollback(name), out.trim());
  return out;
}


export async function applyConfig(s: DeviceSession, lines: string[]): Promise<void> {
  await s.configure(lines);
}

export { restoreRunningConfig, showRunningConfig } from './config-restore';
