import { BGP_SUMMARIES, CLI_REJECTION, type Dialect, type Dialog } from './dialect';

const GIR_CONTINUE: Dialog = { pattern: /Do you want to continue \(yes\/no\)\? \[no\]\s*$/i, answer: () => 'yes' };

export const nxos: Dialect = {
  platform: 'nxos',
  sessionSetup: ['terminal length 0', 'terminal width 511'],
  hasEnable: false,
  execChannel: true,
  fileSystem: 'bootflash:',
  filePath: (file) => `bootflash:${file}`,
  fileOpsOnExec: false,
  commands: {
    version: 'show version',
    redundancy: 'show hsrp brief',
    fileSystem: 'dir bootflash:',
    interfaces: 'show ip interface brief',
    bgpSummary: 'show ip bgp summary',
    hashVerify: (file) => `show file bootflash:${file} md5sum`,
    deleteFile: (file) => `delete bootflash:${file}`,
    save: 'copy running-config startup-config',
    reload: 'reload',
    configBackup: (name) => `checkpoint ${name}`,
    configRollback: (name) => `rollback running-config checkpoint ${name}`,
    vpc: 'show vpc',
  },
  collect: {
    health: ['show version', 'show hsrp brief', 'show ip bgp summary', 'show ip interface brief'],
    parses: { 'show version': 'version', 'show hsrp brief': 'redundancy', ...BGP_SUMMARIES, 'show ip interface brief': 'interfaces' },
  },
  dialogs: [
    { pattern: /This command will reboot the system\.? \(y\/n\)\?\s*\[n\]\s*$/i, answer: () => 'y' },
    { pattern: /Do you want to continue\? \(y\/n\)\s*\[n\]\s*$/i, answer: () => 'y' },
    { pattern: /Do you want to delete .*\? \(yes\/no\/abort\)\s*\[y\]\s*$/i, answer: () => 'yes' },
  ],
  setBootLines: (file) => [`boot nxos bootflash:${file}`],
  priorityLines: (entries, priority) => entries.flatMap((e) => [`interface ${e.interface}`, `  hsrp ${e.group}`, `    priority ${priority}`]),
  rejection: CLI_REJECTION,
  // NX-OS GIR (Nexus 9000 Graceful Insertion and Removal guide): a configuration-mode
  // command that lists the maintenance profile and asks before applying it.
  maintenance: {
    enter: { lines: ['system mode maintenance'], configMode: true, dialogs: [GIR_CONTINUE] },
    leave: { lines: ['no system mode maintenance'], configMode: true, dialogs: [GIR_CONTINUE] },
    show: 'show system mode',
  },
};
