import { DeviceError } from '../devices/errors';
import { showVpc } from '../devices/operations';
import type { VpcRoleName, VpcState } from '../devices/platforms/types';
import { deviceActivity, heartbeat, sleep, type DeviceRuntime } from './runtime';
import type { DeviceAccess } from './types';
import { describeVpcRole, vpcConvergedProblems, vpcPreCheckProblems } from './vpc-readiness';

export interface VpcPreCheckInput {
  device: DeviceAccess;
  /** The other members of its inventory redundancy group: its vPC partner must be one of them. */
  peers: DeviceAccess[];
}

export interface VpcPreCheckResult {
  /** False when the device is in no vPC domain: nothing of this check applies. */
  member: boolean;
  domainId?: number;
  role?: VpcRoleName;
  operationalRole?: VpcRoleName;
  partner?: string;
  /** The vPCs up on the device now: after the reload each must be up on both peers again. */
  upVpcs: number[];
  /** Why the device may not leave the domain now; empty when it may. */
  problems: string[];
  /** e.g. `vPC domain 10 primary, partner n9k-b`. */
  summary?: string;
}

export interface VpcConvergedInput {
  device: DeviceAccess;
  partner: DeviceAccess;
  vpcIds: number[];
  timeoutMs: number;
  pollMs?: number;
}

/** The pair did not come back together in time: the partner must not be touched. */
export class VpcNotConverged extends DeviceError {
  readonly retryable = false;
  constructor(device: string, detail: string) {
    super(device, `the vPC domain did not re-form after the reload: ${detail}`, 'Check the peer-link, keepalive and vPC members on both peers; the partner is held back until this device is retried or skipped.');
  }
}

export function vpcActivities(rt: DeviceRuntime) {
  const vpcOf = (device: DeviceAccess): Promise<VpcState | undefined> => rt.session(device, (s) => showVpc(s));

  /**
   * Reads `show vpc` on the device and on each peer of its inventory group,
   * finds its partner (the peer in the same domain) and says whether the
   * device may leave the domain now. Read-only; the workflow decides.
   */
  const vpcPreCheck = deviceActivity(async ({ device, peers }: VpcPreCheckInput): Promise<VpcPreCheckResult> => {
    const self = await vpcOf(device);
    if (self?.domainId === undefined) return { member: false, upVpcs: [], problems: [] };
    const base = { member: true, domainId: self.domainId, role: self.role, operationalRole: self.operationalRole, upVpcs: self.vpcs.filter((v) => v.up).map((v) => v.id) };
    const seen: string[] = [];
    for (const peer of peers.filter((p) => p.platform === device.platform)) {
      const theirs = await vpcOf(peer);
      heartbeat({ asked: peer.name });
      if (theirs?.domainId === self.domainId) {
        return { ...base, partner: peer.name, problems: vpcPreCheckProblems(device.name, self, peer.name, theirs), summary: `${describeVpcRole(self)}, partner ${peer.name}` };
      }
      seen.push(`${peer.name} reports ${theirs?.domainId === undefined ? 'no vPC domain' : `vPC domain ${theirs.domainId}`}`);
    }
    const why = peers.length === 0 ? 'the inventory gives it no redundancy group partner' : `no member of its inventory redundancy group is in that domain (${seen.join(', ') || 'none is NX-OS'})`;
    return { ...base, problems: [`${device.name}: show vpc: 'vPC domain id : ${self.domainId}' (${why}; set redundancy_group so its vPC peer is its partner)`] };
  });

  /** Polls both peers until the domain has re-formed with every vPC up on both, or the timeout passes. */
  const waitVpcConverged = deviceActivity(async (input: VpcConvergedInput): Promise<{ attempts: number }> => {
    const pollMs = input.pollMs ?? 2_000;
    const deadline = Date.now() + input.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      let last: string;
      try {
        const [self, theirs] = [await vpcOf(input.device), await vpcOf(input.partner)];
        if (self?.domainId === undefined) last = `${input.device.name}: show vpc reports no vPC domain`;
        else if (theirs?.domainId === undefined) last = `${input.partner.name}: show vpc reports no vPC domain`;
        else {
          const problems = vpcConvergedProblems(input.device.name, self, input.partner.name, theirs, input.vpcIds);
          if (problems.length === 0) return { attempts: attempt };
          last = problems.join('; ');
        }
      } catch (err) {
        // The switch may still be booting its vPC manager; an unreadable table is not final until the deadline.
        if (err instanceof DeviceError && err.name === 'UnreadableOutput' && Date.now() + pollMs > deadline) throw err;
        last = (err as Error).message.split('\n')[0] ?? 'no answer';
      }
      heartbeat({ attempt, last });
      if (Date.now() + pollMs > deadline) throw new VpcNotConverged(input.device.name, last);
      await sleep(pollMs);
    }
  });

  return { vpcPreCheck, waitVpcConverged };
}
