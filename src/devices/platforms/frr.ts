import { CLI_REJECTION, type Dialect } from './dialect';
import { iosxe } from './iosxe';

/**
 * FRR driven through vtysh. Routing commands are FRR's own (`show vrrp`,
 * `show interface brief`, `vrrp N priority P`). FRR itself has no image
 * file system: the appliance it runs on exposes one as `flash:` with the
 * IOS-style helpers (`dir`, `verify /md5`, `delete`, `boot system`,
 * `reload`), which is what the device lab simulates. On a bare Linux host
 * those helpers would be `md5sum`/`ls`/`df` on an exec channel instead;
 * see parsers/filesystem.ts (ls+df) and parsers/hash.ts (md5sum) which
 * already read that output.
 *
 * Rollback reapplies the saved (startup) configuration: vtysh has no
 * configure-replace, so lines added since the save are not removed.
 */
export const frr: Dialect = {
  ...iosxe,
  platform: 'frr',
  sessionSetup: ['terminal length 0'],
  hasEnable: true,
  execChannel: true,
  commands: {
    ...iosxe.commands,
    redundancy: 'show vrrp',
    interfaces: 'show interface brief',
    configBackup: () => 'write memory',
    configRollback: () => 'show startup-config',
  },
  priorityLines: (entries, priority) => entries.flatMap((e) => [`interface ${e.interface}`, ` vrrp ${e.group} priority ${priority}`]),
  rejection: CLI_REJECTION,
};
