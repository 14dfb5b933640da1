import type { Platform } from '../../contracts/inventory';
import type { Dialect } from './dialect';
import { parseBgpSummary } from './parsers/bgp';
import { parseInterfaces } from './parsers/interfaces';
import { parseRedundancy } from './parsers/redundancy';
import { parseVersion } from './parsers/version';
import type { BgpNeighbor, CollectedShow, InterfaceBrief, RedundancyEntry, VersionInfo } from './types';

/** One command of a collection, in the platform's words, and what its output is read as (absent: stored raw). */
export interface PlannedShow {
  command: string;
  parse?: CollectedShow;
}

/** Named command sets, each expanded from every platform's dialect. */
export type CollectProfileName = 'health';

/**
 * The commands a device runs, resolved for its platform from its dialect:
 * the given commands (`a|b|c` picks the platform's own words), else the
 * profile's.
 */
export function collectPlan(dialect: Dialect, commands: string[] | undefined, profile: CollectProfileName = 'health'): PlannedShow[] {
  const { collect } = dialect;
  const known = Object.keys(collect.parses);
  const list = commands?.length ? commands.map((c) => pickAlternative(c, known)) : collect[profile];
  return list.map((command) => {
    const parse = collect.parses[command.toLowerCase().replace(/\s+/g, ' ')];
    return parse ? { command, parse } : { command };
  });
}

/**
 * `show standby brief|show hsrp brief|show vrrp` names one question in each
 * platform's words: the one this platform's dialect reads wins, else the
 * first. A `|` followed by anything but `show` is an output filter, kept.
 */
export function pickAlternative(command: string, platformCommands: string[]): string {
  const parts = command.split('|').map((p) => p.trim());
  if (parts.length < 2 || !parts.every((p) => /^show\s/i.test(p))) return command.trim();
  return parts.find((p) => platformCommands.includes(p.toLowerCase().replace(/\s+/g, ' '))) ?? parts[0]!;
}

export type ParsedShow =
  | { as: 'version'; value: VersionInfo }
  | { as: 'redundancy'; value: RedundancyEntry[] }
  | { as: 'bgp'; value: BgpNeighbor[] }
  | { as: 'interfaces'; value: InterfaceBrief[] };

/** Reads one output with the parser its plan names; throws the parser's ParseProblem (with the rows it could read). */
export function parseShow(platform: Platform, as: CollectedShow, output: string): ParsedShow {
  switch (as) {
    case 'version':
      return { as, value: parseVersion(platform, output) };
    case 'redundancy':
      return { as, value: parseRedundancy(platform, output) };
    case 'bgp':
      return { as, value: parseBgpSummary(output) };
    case 'interfaces':
      return { as, value: parseInterfaces(platform, output) };
  }
}
