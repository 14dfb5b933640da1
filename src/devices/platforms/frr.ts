import { CLI_REJECTION, type Dialect } from './dialect';

/**
 * FRR is driven through vtysh (the interactive shell). vtysh has no file or
 * boot commands, so the image helpers are POSIX commands on an exec channel
 * (the FRR host's shell), and the "boot image" is a symlink the host's boot
 * script follows.
 */
const IMAGE_DIR = '/var/lib/frr/images/';

export const frr: Dialect = {
  platform: 'frr',
  sessionSetup: ['terminal length 0'],
  hasEnable: false,
  execChannel: true,
  fileSystem: IMAGE_DIR,
  filePath: (file) => `${IMAGE_DIR}${file}`,
  fileOpsOnExec: true,
  commands: {
    version: 'show version',
    redundancy: 'show vrrp',
    fileSystem: `ls -ln ${IMAGE_DIR}; df -P -B1 ${IMAGE_DIR}`,
    interfaces: 'show interface brief',
    bgpSummary: 'show ip bgp summary',
    hashVerify: (file) => `md5sum ${IMAGE_DIR}${file}`,
    deleteFile: (file) => `rm -f ${IMAGE_DIR}${file}`,
    save: 'write memory',
    reload: 'reboot',
    configBackup: (name) => `copy running-config ${name}`,
    configRollback: (name) => `copy ${name} running-config`,
  },
  dialogs: [],
  setBootLines: (file) => [`ln -sfn ${IMAGE_DIR}${file} ${IMAGE_DIR}boot.bin`],
  priorityLines: (entries, priority) => entries.flatMap((e) => [`interface ${e.interface}`, ` vrrp ${e.group} priority ${priority}`]),
  rejection: CLI_REJECTION,
};
