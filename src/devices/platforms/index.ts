import type { Platform } from '../../contracts/inventory';
import type { Dialect } from './dialect';
import { frr } from './frr';
import { iosxe } from './iosxe';
import { nxos } from './nxos';

export type { Dialect, Dialog } from './dialect';
export * from './types';
export { parseVersion } from './parsers/version';
export { parseRedundancy } from './parsers/redundancy';
export { parseFileSystem, findFile } from './parsers/filesystem';
export { parseHash } from './parsers/hash';
export { parseInterfaces } from './parsers/interfaces';
export { parseBgpSummary } from './parsers/bgp';
export { parseVpc } from './parsers/vpc';
export { parseSystemMode, type SystemMode } from './parsers/system-mode';
export { parsePortChannelSummary } from './parsers/port-channel';
export { parseLacpNeighbors } from './parsers/lacp';
export { sameVersion, uptimeToSeconds } from './parsers/text';

const DIALECTS: Record<Platform, Dialect> = { iosxe, nxos, frr };

export function dialectFor(platform: Platform): Dialect {
  return DIALECTS[platform];
}
export { configDiffLines } from './config-diff';
export { collectPlan, parseShow, pickAlternative, type CollectProfileName, type ParsedShow, type PlannedShow } from './collect-plan';
