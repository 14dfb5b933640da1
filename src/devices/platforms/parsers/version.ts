import type { Platform, VersionInfo } from '../types';
import { cleanLines, uptimeToSeconds } from './text';

/** `show version` on IOS-XE, NX-OS or FRR (vtysh) to version, image, hostname, uptime. */
export function parseVersion(platform: Platform, text: string): VersionInfo {
  const lines = cleanLines(text);
  switch (platform) {
    case 'iosxe':
      return parseIosxe(lines);
    case 'nxos':
      return parseNxos(lines);
    case 'frr':
      return parseFrr(lines);
  }
}

function parseIosxe(lines: string[]): VersionInfo {
  let version: string | undefined;
  const info: Partial<VersionInfo> = {};
  for (const line of lines) {
    // The IOS XE line carries the canonical train (17.09.04a); the IOS line the short one.
    const xe = /IOS[ -]XE Software.*Version\s+([\w.()]+)/i.exec(line);
    if (xe && !version) version = xe[1];
    const ios = /Cisco IOS Software.*Version\s+([\w.()]+),/i.exec(line);
    if (ios && !version) version = ios[1];
    const up = /^(\S+)\s+uptime is\s+(.+)$/.exec(line.trim());
    if (up && !info.hostname) {
      info.hostname = up[1];
      info.uptime = up[2];
      info.uptimeSeconds = uptimeToSeconds(up[2]!);
    }
    const img = /System image file is\s+"([^"]+)"/i.exec(line);
    if (img) info.image = img[1];
  }
  if (!version) throw new Error('show version: no IOS XE version line found');
  return { version, ...info };
}

function parseNxos(lines: string[]): VersionInfo {
  let version: string | undefined;
  const info: Partial<VersionInfo> = {};
  for (const raw of lines) {
    const line = raw.trim();
    const v = /^(NXOS|system):\s+version\s+(\S+)/i.exec(line);
    if (v && !version) version = v[2];
    const img = /^(NXOS|system) image file is:\s+(\S+)/i.exec(line);
    if (img) info.image = img[2]!.replace(':///', ':');
    const name = /^Device name:\s+(\S+)/i.exec(line);
    if (name) info.hostname = name[1];
    const up = /^Kernel uptime is\s+(.+)$/i.exec(line);
    if (up) {
      info.uptime = up[1];
      info.uptimeSeconds = uptimeToSeconds(up[1]!);
    }
  }
  if (!version) throw new Error('show version: no NXOS version line found');
  return { version, ...info };
}

function parseFrr(lines: string[]): VersionInfo {
  const info: Partial<VersionInfo> = {};
  let version: string | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    const v = /^FRRouting\s+(\S+)\s+\(([^)]+)\)/.exec(line);
    if (v && !version) {
      version = v[1];
      info.hostname = v[2];
    }
    // FRR's show version has no uptime; the lab and our sshd set-up append `uptime -p`-like lines.
    const up = /^(?:System )?uptime(?: is)?:?\s+(?:up\s+)?(.+)$/i.exec(line);
    if (up) {
      info.uptime = up[1];
      info.uptimeSeconds = uptimeToSeconds(up[1]!);
    }
    const img = /^(?:Boot )?image(?: file)?(?: is)?:?\s+"?([^"\s]+)"?$/i.exec(line);
    if (img) info.image = img[1];
  }
  if (!version) throw new Error('show version: no FRRouting version line found');
  return { version, ...info };
}
