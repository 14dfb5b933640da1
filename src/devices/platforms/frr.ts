import { BGP_SUMMARIES, CLI_REJECTION, type Dialect } from './dialect';
import { withFrrDefaults } from './frr-defaults';
import { iosxe } from './iosxe';

/**
 * Outside config mode, what vtysh prints when it refuses a command: the
 * `% ...` lines (`% Unknown command: x`, `% Command incomplete: x`, `% BGP
 * instance not found`) and a missing daemon (`staticd is not running`).
 */
const FRR_REJECTION = new RegExp(`${CLI_REJECTION.source}|^%\\s*\\S|^\\S+ is not running$`, 'im');

/**
 * In config mode vtysh prints nothing for a line it takes (FRR 8.4, tried
 * here), so any output at all is a refusal. Its words come in forms no
 * keyword list would catch: `% Unknown command: x`, `% Configuration
 * failed.` with `Error description: ...` lines below, and daemon messages
 * without `%` (`BGP is already running; AS is 65001`, `staticd is not
 * running`).
 */
const FRR_CONFIG_REJECTION = /\S/;

/**
 * FRR driven through vtysh (the SSH login shell). Routing commands are FRR's
 * own: `show vrrp`, `show interface json` (the brief form hides protodown),
 * `vrrp N priority P` under the interface that carries the group.
 *
 * FRR has no image to upgrade (it is a package on a Linux host), so image
 * rollouts refuse FRR devices before anything starts; the file and reload
 * commands inherited below are never sent to it. vtysh cannot write a
 * named copy of the configuration, nor replace one: a config push's
 * restore point is a copy of the running configuration kept by the worker
 * (`backupOnWorker`), and rollback sends the difference back.
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
    interfaces: 'show interface json',
  },
  // The brief interface table shows only the administrative state (a protodown VRRP backup reads `up`): not read as interface health.
  collect: {
    health: ['show version', 'show vrrp', 'show ip bgp summary', 'show interface json'],
    parses: { 'show version': 'version', 'show vrrp': 'redundancy', ...BGP_SUMMARIES, 'show interface json': 'interfaces' },
  },
  priorityLines: (entries, priority) => entries.flatMap((e) => [`interface ${e.interface}`, ` vrrp ${e.group} priority ${priority}`, 'exit']),
  rejection: FRR_REJECTION,
  configRejection: FRR_CONFIG_REJECTION,
  backupOnWorker: true,
  // FRR has no maintenance mode of its own (graceful shutdown is per BGP instance): not inherited from IOS-XE.
  maintenance: undefined,
  noImages: true,
  withHiddenDefaults: withFrrDefaults,
};
