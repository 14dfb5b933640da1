import type { VpcMember, VpcState } from '../devices/platforms/types';

/**
 * Pure decisions about a vPC pair, from both peers' `show vpc`. Every problem
 * names the device and quotes the line of `show vpc` it rests on, so the
 * operator can run the command and see the same thing.
 */

const say = (device: string, line: string, why: string): string => `${device}: show vpc: '${line}' (${why})`;

/** What must hold on one switch of a pair before either peer may leave or after one came back. */
export function domainProblems(device: string, st: VpcState): string[] {
  const problems: string[] = [];
  if (!st.peerAdjacent) problems.push(say(device, `Peer status : ${st.peerStatus}`, 'the peers are not adjacent'));
  if (!st.keepaliveAlive) problems.push(say(device, `vPC keep-alive status : ${st.keepaliveStatus}`, 'the peer-keepalive is not alive'));
  if (st.peerLinks.length === 0) problems.push(say(device, 'vPC Peer-link status', 'no peer-link is listed'));
  for (const l of st.peerLinks.filter((p) => !p.up)) problems.push(say(device, `${l.id} ${l.port} down`, 'the peer-link is down'));
  if (st.consistency !== 'success') {
    problems.push(say(device, `Configuration consistency status : ${st.consistency}${st.consistencyReason ? ` (${st.consistencyReason})` : ''}`, 'the peers disagree on type-1 configuration'));
  }
  if (st.perVlanConsistency === 'failed') problems.push(say(device, 'Per-vlan consistency status : failed', 'VLANs are suspended on the peer-link'));
  if (st.type2Consistency === 'failed') problems.push(say(device, 'Type-2 consistency status : failed', 'the peers disagree on type-2 configuration'));
  return problems;
}

const vpcLine = (v: VpcMember): string => `${v.id} ${v.port} ${v.up ? 'up' : 'down'} ${v.consistency} ${v.reason}`;

/**
 * Whether `device` may be taken out of its vPC domain while `partner` stays:
 * both healthy as a domain, one domain, and every vPC up (and consistent)
 * on the partner, so every dual-homed host keeps a live path.
 */
export function vpcPreCheckProblems(device: string, self: VpcState, partner: string, theirs: VpcState): string[] {
  const problems = [...domainProblems(device, self), ...domainProblems(partner, theirs)];
  if (self.domainId !== theirs.domainId) {
    problems.push(say(partner, `vPC domain id : ${theirs.domainId ?? 'Not configured'}`, `${device} is in vPC domain ${self.domainId}: they are not one pair`));
    return problems;
  }
  for (const v of theirs.vpcs) {
    if (!v.up) problems.push(say(partner, vpcLine(v), `vPC ${v.id} is down on the peer that stays: hosts on it would lose both paths`));
    else if (v.consistency !== 'success') problems.push(say(partner, vpcLine(v), `vPC ${v.id} is inconsistent on the peer that stays`));
  }
  const onPartner = new Set(theirs.vpcs.map((v) => v.id));
  for (const v of self.vpcs.filter((m) => m.up && !onPartner.has(m.id))) {
    problems.push(say(device, vpcLine(v), `vPC ${v.id} is not configured on ${partner}: its hosts hang on ${device} alone`));
  }
  return problems;
}

/**
 * After a reload: adjacency re-formed, peer-link up, and every vPC that was
 * up before is up on both peers. Until then the partner must not start.
 */
export function vpcConvergedProblems(device: string, self: VpcState, partner: string, theirs: VpcState, vpcIds: number[]): string[] {
  const problems = [...domainProblems(device, self).filter((p) => !/type-2/.test(p)), ...domainProblems(partner, theirs).filter((p) => !/type-2/.test(p))];
  for (const [name, st] of [[device, self], [partner, theirs]] as const) {
    const byId = new Map(st.vpcs.map((v) => [v.id, v]));
    for (const id of vpcIds) {
      const v = byId.get(id);
      if (!v) problems.push(`${name}: show vpc: vPC ${id} is missing (it was up before the reload)`);
      else if (!v.up) problems.push(say(name, vpcLine(v), `vPC ${id} is not up again`));
    }
  }
  return problems;
}

/**
 * Cisco's vPC upgrade guidance upgrades the vPC primary first: the roles
 * are not preemptive, so reloading the configured primary, then the
 * secondary, leaves both in the roles they are configured for. Which switch
 * is operational primary at the start does not change that order.
 */
export function vpcGoesFirst(st: VpcState): boolean {
  return st.role === 'primary';
}

/** A one-line description of a switch's place in its domain, for notes and `rollout plan`. */
export function describeVpcRole(st: VpcState): string {
  const op = st.operationalRole !== st.role ? `, operational ${st.operationalRole}` : '';
  return `vPC domain ${st.domainId} ${st.role}${op}`;
}
