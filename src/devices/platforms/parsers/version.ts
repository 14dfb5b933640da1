import type { Platform, VersionInfo } from '../types';
import { ParseProblem } from '../../errors';
import { parseFrrVersion } from './frr-version';
import { cleanLines, sameVersion, uptimeToSeconds } from './text';

/** `show version` on IOS-XE, NX-OS or FRR (vtysh) to version, image, hostname, uptime. */
export function parseVersion(platform: Platform, text: string): VersionInfo {
  const lines = cleanLines(text);
  switch (platform) {
    case 'iosxe':
      return parseIosxe(lines);
    case 'nxos':
      return parseNxos(lines);
    case 'frr':
      return parseFrrVersion(lines);
  }
}

/** A release as Cisco numbers them: `17.09.04a`, `16.9.3`, `03.06.05E`, `03.04.06.SG`, `15.2(7)E4`, `12.2(18)SXF7`, `17.07.01prd16`. */
const IOS_RELEASE = /^\d+\.\d+(\.\d+[a-z]*\d*(\.[A-Z]+)?|\.\d+[A-Z]*|\(\d+[a-z]?\)[A-Z]*\d*[a-z]?)$/;

function versionProblem(line: string, reason: string): ParseProblem {
  return new ParseProblem('software version', [{ line: line.trim(), reason }]);
}

/**
 * IOS-XE 16 and later print the release twice: `Cisco IOS XE Software,
 * Version 17.09.04a` and the IOS line `Version 17.9.4a`. IOS-XE 3.x prints
 * `IOS XE Version: 03.09.01.S` beside an IOS line with the IOSd version,
 * or only an IOS line carrying the XE release; classic IOS only the IOS
 * line. The XE release wins when there is one. A special or experimental
 * build (`V169_5_SR689355441_2`, `BLD_POLARIS_...`, `Experimental Version`,
 * `CUST-SPECIAL`) is not the release its numbers resemble: comparing it
 * with a target would be a guess, so it is a ParseProblem.
 */
function parseIosxe(lines: string[]): VersionInfo {
  let xe: { version: string; line: string } | undefined;
  let ios: { version: string; line: string } | undefined;
  const info: Partial<VersionInfo> = {};
  for (const line of lines) {
    const xeLine = /^\s*(?:Cisco IOS XE Software, Version|IOS XE Version:)\s+(\S+)/i.exec(line);
    if (xeLine && !xe) xe = { version: xeLine[1]!, line };
    const iosLine = /^\s*(?:Cisco IOS Software|IOS \(tm\)).*?Version\s+([^\s,]+)/i.exec(line);
    if (iosLine && !ios) ios = { version: iosLine[1]!, line };
    const up = /^(\S+)\s+uptime is\s+(.+)$/.exec(line.trim());
    if (up && !info.hostname) {
      info.hostname = up[1];
      info.uptime = up[2];
      info.uptimeSeconds = uptimeToSeconds(up[2]!);
    }
    const img = /System image file is\s+"([^"]+)"/i.exec(line);
    if (img) info.image = img[1];
  }
  if (!xe && !ios) throw new Error('show version: no IOS XE version line found');
  if (ios && /Experimental Version|CUST-SPECIAL|ENGINEERING|WEEKLY BUILD/i.test(ios.line)) {
    throw versionProblem(ios.line, 'a special or experimental build: its version is not a release that can be compared with a target');
  }
  const chosen = xe ?? ios!;
  if (!IOS_RELEASE.test(chosen.version)) throw versionProblem(chosen.line, `'${chosen.version}' is not a release version`);
  // From 16.x on both lines name the same release; when they do not, neither can be trusted.
  if (xe && ios && /^1\d\./.test(xe.version) && !/IOS-XE Software/i.test(ios.line) && !sameVersion(xe.version, ios.version)) {
    throw versionProblem(`${xe.line.trim()} / ${ios.line.trim()}`, `the IOS XE line says ${xe.version} and the IOS line ${ios.version}`);
  }
  return { version: chosen.version, ...info };
}

/** `10.2(6)`, `9.3(15)`, `7.0(3)I4(3)`, `7.1(4)N1(1)`, `6.2(16)`, `14.0(1h)`. */
const NXOS_RELEASE = /^\d+\.\d+\(\d+[a-z]?\)([A-Z]+\d*\(\d+[a-z]?\))?$/;

/**
 * `NXOS: version 10.2(6)` (7.x and later) or `system: version 6.2(16)`.
 * A `[build X]` that names another release, or a version that is not a
 * release (`9.3(6uu)I9(1uu)`), is an engineering image: a ParseProblem.
 */
function parseNxos(lines: string[]): VersionInfo {
  let version: string | undefined;
  const info: Partial<VersionInfo> = {};
  for (const raw of lines) {
    const line = raw.trim();
    const v = /^(NXOS|system):\s+version\s+(\S+)(.*)$/i.exec(line);
    if (v && !version) {
      version = v[2]!;
      if (!NXOS_RELEASE.test(version)) throw versionProblem(line, `'${version}' is not a release version`);
      const build = /\[build ([^\]]+)\]/.exec(v[3]!);
      if (build && build[1] !== version) throw versionProblem(line, `the version says ${version} but the image was built as ${build[1]}`);
    }
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
