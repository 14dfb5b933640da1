import type { FileEntry, FileSystemInfo, Platform } from '../types';
import { ParseProblem } from '../../errors';
import { cleanLines, findHeader, tokens, toInt } from './text';

/**
 * `dir flash:` (IOS-XE), `dir bootflash:` (NX-OS), or `ls -ln DIR; df -P -B1 DIR`
 * (FRR host). File names never contain spaces on these platforms, so the
 * name is always the last token; sizes are found by position relative to the
 * permission token (IOS) or as the first token (NX-OS), never by column.
 */
export function parseFileSystem(platform: Platform, text: string, fileSystem = ''): FileSystemInfo {
  const lines = cleanLines(text);
  // The listing style follows the box, not the routing suite: FRR appliances
  // print IOS-style `dir`, bare Linux hosts `ls`/`df`. Pick by content.
  if (lines.some((l) => /bytes total \(\d+ bytes free\)|^Directory of /.test(l.trim()))) return withFreeSpace(lines, parseIosDir(lines, fileSystem));
  if (lines.some((l) => /^Usage for \S+/.test(l.trim()))) return withFreeSpace(lines, parseNxosDir(lines, fileSystem));
  switch (platform) {
    case 'iosxe':
      return withFreeSpace(lines, parseIosDir(lines, fileSystem));
    case 'nxos':
      return withFreeSpace(lines, parseNxosDir(lines, fileSystem));
    case 'frr':
      return parseLsDf(lines, fileSystem);
  }
}

/**
 * IOS and NX-OS always close a listing with the free space; without it the
 * device answered something else (`%Error opening flash:/`, `Input/output
 * error`), and an unknown free space must not pass for enough.
 */
function withFreeSpace(lines: string[], info: FileSystemInfo): FileSystemInfo {
  if (info.freeBytes !== undefined) return info;
  const said = lines.map((l) => l.trim()).find((l) => l !== '') ?? '(no output)';
  throw new ParseProblem('file system listing', [{ line: said, reason: "no free-space line ('N bytes total (M bytes free)' or 'N bytes free')" }], [info]);
}

function parseIosDir(lines: string[], fallback: string): FileSystemInfo {
  const info: FileSystemInfo = { fileSystem: fallback, files: [] };
  for (const line of lines) {
    const dirOf = /^Directory of (\S+?)\/?$/.exec(line.trim());
    if (dirOf) info.fileSystem = dirOf[1]!.endsWith(':') ? dirOf[1]! : dirOf[1]!.replace(/\/$/, '');
    const total = /(\d+)\s+bytes total\s+\((\d+)\s+bytes free\)/.exec(line);
    if (total) {
      info.totalBytes = Number(total[1]);
      info.freeBytes = Number(total[2]);
      continue;
    }
    const t = tokens(line);
    // <index> <perms> <size> <date...> <name>; some captures split the permissions (`-rw  -`)
    if (t.length >= 4 && toInt(t[0]) !== undefined && /^[-dlrwx]{3,}$/.test(t[1]!)) {
      let i = 2;
      while (i < t.length && /^[-dlrwx]+$/.test(t[i]!)) i++;
      if (toInt(t[i]) !== undefined) info.files.push({ name: t[t.length - 1]!, size: Number(t[i]), directory: t[1]!.startsWith('d') });
    }
  }
  return info;
}

function parseNxosDir(lines: string[], fallback: string): FileSystemInfo {
  const info: FileSystemInfo = { fileSystem: fallback, files: [] };
  for (const line of lines) {
    const usage = /^Usage for (\S+)/.exec(line.trim());
    if (usage) info.fileSystem = usage[1]!.replace(/:\/\/.*$/, ':');
    const bytes = /^\s*(\d+)\s+bytes\s+(used|free|total)\s*$/.exec(line);
    if (bytes) {
      if (bytes[2] === 'free') info.freeBytes = Number(bytes[1]);
      if (bytes[2] === 'total') info.totalBytes = Number(bytes[1]);
      continue;
    }
    const t = tokens(line);
    // <size> <Mon> <dd> <hh:mm:ss> <yyyy> <name>
    if (t.length >= 6 && toInt(t[0]) !== undefined && /^[A-Z][a-z]{2}$/.test(t[1]!)) {
      const name = t[t.length - 1]!;
      info.files.push({ name: name.replace(/\/$/, ''), size: Number(t[0]), directory: name.endsWith('/') });
    }
  }
  return info;
}

function parseLsDf(lines: string[], fallback: string): FileSystemInfo {
  const info: FileSystemInfo = { fileSystem: fallback, files: [] };
  const dfHeader = findHeader(lines, ['filesystem', 'available']);
  lines.forEach((line, idx) => {
    const t = tokens(line);
    if (idx > dfHeader && dfHeader >= 0 && t.length >= 6 && toInt(t[1]) !== undefined && toInt(t[3]) !== undefined) {
      info.totalBytes = Number(t[1]);
      info.freeBytes = Number(t[3]);
      if (!fallback) info.fileSystem = t[t.length - 1]!;
      return;
    }
    // -rw-r--r-- 1 0 0 <size> <date tokens> <name>
    if (t.length >= 6 && /^[-dl][-rwxsStT]{9}[.+@]?$/.test(t[0]!) && toInt(t[4]) !== undefined) {
      info.files.push({ name: t[t.length - 1]!, size: Number(t[4]), directory: t[0]!.startsWith('d') });
    }
  });
  return info;
}

export function findFile(info: FileSystemInfo, name: string): FileEntry | undefined {
  return info.files.find((f) => f.name === name);
}
