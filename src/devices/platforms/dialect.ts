import type { CollectedShow, Platform, RedundancyEntry } from './types';

/** One question a device may ask during a command, and how to answer it. */
export interface Dialog {
  pattern: RegExp;
  /** `saveConfig` answers the IOS "configuration has been modified" question. */
  answer: (opts: { saveConfig: boolean }) => string;
}

/** One step of graceful insertion and removal: the lines, where they are sent, and what the device asks. */
export interface MaintenanceStep {
  lines: string[];
  /** Sent inside configuration mode (NX-OS) rather than at the exec prompt (IOS-XE). */
  configMode: boolean;
  dialogs: Dialog[];
}

/**
 * Everything that differs between platforms: command text, the questions a
 * command asks, and where files live. Drivers compose these; parsers live
 * next door in ./parsers.
 */
export interface Dialect {
  platform: Platform;
  /** Sent once after the prompt is found, to stop paging and line wrapping. */
  sessionSetup: string[];
  /** Whether `enable` exists (privileged mode behind `>`). */
  hasEnable: boolean;
  /** Whether one-shot exec channels work (used for file helpers and benchmarks). */
  execChannel: boolean;
  /** Default file system/prefix for images, e.g. `flash:` or `/var/lib/frr/images/`. */
  fileSystem: string;
  /** Full device path of a file on the image file system. */
  filePath(file: string): string;
  /** Whether file helpers (dir, hash, delete) run on an exec channel rather than the CLI. */
  fileOpsOnExec: boolean;
  commands: {
    version: string;
    redundancy: string;
    fileSystem: string;
    interfaces: string;
    bgpSummary: string;
    hashVerify(file: string): string;
    deleteFile(file: string): string;
    save: string;
    reload: string;
    configBackup(name: string): string;
    configRollback(name: string): string;
    /** NX-OS `show vpc`: the vPC domain, peer-link and vPCs; absent where the platform has no vPC. */
    vpc?: string;
  };
  /**
   * Collection: the `health` profile, and each command (lower case, single
   * spaces) whose output a parser of this platform reads. Any other command
   * is stored raw: a table no parser here was proven on is not guessed at.
   */
  collect: { health: string[]; parses: Readonly<Record<string, CollectedShow>> };
  /** Questions `save`, `delete`, `reload`, backup and rollback may ask. */
  dialogs: Dialog[];
  /** Configuration lines (inside config mode) to boot `file` next time. */
  setBootLines(file: string): string[];
  /** Configuration lines that set the priority of each given group. */
  priorityLines(entries: Pick<RedundancyEntry, 'interface' | 'group'>[], priority: number): string[];
  /** Device output that marks a configuration line or command as refused. */
  rejection: RegExp;
  /** Output after a line in config mode that marks it refused, when it differs from `rejection`. */
  configRejection?: RegExp;
  /**
   * Set when the device can hold no restore point of its own (FRR's vtysh
   * writes no named file and has no configure replace): the worker keeps a
   * copy of the running configuration, and rollback sends the difference.
   */
  backupOnWorker?: boolean;
  /**
   * Graceful insertion and removal, where the platform has it: the step that
   * takes the device out of the forwarding path, the one that brings it
   * back, and the command that says which mode it is in (`System Mode: ...`).
   */
  maintenance?: { enter: MaintenanceStep; leave: MaintenanceStep; show: string };
  /** Set when the platform has no image to upgrade nor an image file system (FRR: a package on a Linux host). */
  noImages?: boolean;
  /** The running configuration with the settings the device hides at their default written out (FRR). */
  withHiddenDefaults?(running: string): string;
}

/** The BGP summary's spellings on IOS-like CLIs and vtysh: one table, one parser. */
export const BGP_SUMMARIES: Readonly<Record<string, CollectedShow>> = {
  'show ip bgp summary': 'bgp',
  'show bgp summary': 'bgp',
  'show bgp ipv4 unicast summary': 'bgp',
  'show ip bgp ipv4 unicast summary': 'bgp',
};

/** What IOS-like CLIs print when they refuse a line. */
export const CLI_REJECTION =
  /^\s*%\s*(Invalid input|Invalid command|Unknown command|Incomplete command|Command incomplete|Ambiguous command|Error in authentication|Invalid|Error:)/im;
