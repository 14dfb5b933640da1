import { BGP_SUMMARIES, CLI_REJECTION, type Dialect } from './dialect';

export const iosxe: Dialect = {
  platform: 'iosxe',
  sessionSetup: ['terminal length 0', 'terminal width 0'],
  hasEnable: true,
  execChannel: false,
  fileSystem: 'flash:',
  filePath: (file) => `flash:${file}`,
  fileOpsOnExec: false,
  commands: {
    version: 'show version',
    redundancy: 'show standby brief',
    fileSystem: 'dir flash:',
    interfaces: 'show ip interface brief',
    bgpSummary: 'show ip bgp summary',
    hashVerify: (file) => `verify /md5 flash:${file}`,
    deleteFile: (file) => `delete /force flash:${file}`,
    save: 'write memory',
    reload: 'reload',
    configBackup: (name) => `copy running-config flash:${name}`,
    configRollback: (name) => `configure replace flash:${name} force`,
  },
  collect: {
    health: ['show version', 'show standby brief', 'show ip bgp summary', 'show ip interface brief'],
    parses: { 'show version': 'version', 'show standby brief': 'redundancy', ...BGP_SUMMARIES, 'show ip interface brief': 'interfaces' },
  },
  dialogs: [
    { pattern: /System configuration has been modified\. Save\? \[yes\/no\]:\s*$/i, answer: (o) => (o.saveConfig ? 'yes' : 'no') },
    { pattern: /Proceed with reload\? \[confirm\]\s*$/i, answer: () => '' },
    { pattern: /Destination filename \[[^\]]*\]\?\s*$/i, answer: () => '' },
    { pattern: /Delete filename \[[^\]]*\]\?\s*$/i, answer: () => '' },
    { pattern: /\[confirm\]\s*$/i, answer: () => '' },
  ],
  setBootLines: (file) => ['no boot system', `boot system flash:${file}`],
  priorityLines: (entries, priority) => entries.flatMap((e) => [`interface ${e.interface}`, ` standby ${e.group} priority ${priority}`]),
  rejection: CLI_REJECTION,
  // IOS-XE GIR (Catalyst 9000 "Graceful Insertion and Removal"): exec-mode commands with the default template.
  maintenance: {
    enter: { lines: ['start maintenance'], configMode: false, dialogs: [{ pattern: /Do you want to continue\?\s*\[confirm\]\s*$/i, answer: () => '' }] },
    leave: { lines: ['stop maintenance'], configMode: false, dialogs: [] },
    show: 'show system mode',
  },
};
