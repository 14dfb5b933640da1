import type { AuthScheme } from '../../devices/rest/api-key';
import type { SecretRef } from '../../inventory/types';

/** Where a dashboard API lives and which secret holds its key; safe in a workflow input. */
export interface DashboardRef {
  /** e.g. https://api.meraki.com/api/v1 */
  baseUrl: string;
  apiKey: SecretRef;
  authScheme?: AuthScheme;
}

/** A network and the organisation whose request budget its calls spend. */
export interface NetworkRef {
  dashboard: DashboardRef;
  orgId: string;
  networkId: string;
}

export type DeviceStatus = 'online' | 'offline' | 'alerting' | 'dormant';

export interface DeviceStatusRow {
  serial: string;
  name?: string;
  networkId: string;
  status: DeviceStatus;
}

export type UpgradeState = 'none' | 'scheduled' | 'inProgress' | 'completed' | 'failed' | 'rolledBack';

/** The parts of a staged upgrade event the activities use. */
export interface UpgradeEventView {
  id?: string;
  networkId: string;
  status: UpgradeState;
  toVersion: { shortName: string } | null;
  idempotencyKey?: string | null;
  progress?: { totalDevices: number; upgradedDevices: number; stagesCompleted: number; stages: number };
}

export interface ScheduleOptions {
  productType?: string;
  stages?: number;
  stageDurationSec?: number;
  /** ISO time; default now. */
  scheduledFor?: string;
}

export interface ScheduleResult {
  networkId: string;
  eventId: string | undefined;
  status: UpgradeState;
  /** True when no POST was sent because an upgrade to this firmware already existed. */
  alreadyScheduled: boolean;
  /** True when the existing event carries this idempotency key (an earlier attempt of ours made it). */
  ours: boolean;
}

export interface WaitOptions {
  pollIntervalMs?: number;
}

export interface WaitResult {
  networkId: string;
  eventId: string | undefined;
  status: 'completed';
  upgradedDevices: number;
  polls: number;
}

export interface RollbackResult {
  networkId: string;
  /** False when there was nothing to roll back or it was already rolled back. */
  rolledBack: boolean;
  status: UpgradeState;
}
