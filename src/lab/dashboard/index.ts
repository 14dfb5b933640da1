/**
 * A dashboard-style (Meraki-like) REST API simulator for tests and benches:
 * organisations, networks, devices and their statuses, staged firmware
 * upgrades that progress with (scaled) simulated time, a per-organisation
 * request budget shared by every API key (429 + Retry-After beyond it),
 * `perPage`/`startingAfter` pagination with `Link` headers, and injectable
 * faults. Every request lands in `log` so tests can check the rate the
 * server saw and count writes.
 *
 * Endpoints (under /api/v1):
 *   GET  /organizations, /organizations/{id}
 *   GET  /organizations/{id}/networks                      (paged)
 *   GET  /organizations/{id}/devices                       (paged; networkIds[], serials[])
 *   GET  /organizations/{id}/devices/statuses              (paged; networkIds[], serials[], statuses[])
 *   GET  /networks/{id}
 *   GET  /networks/{id}/firmwareUpgrades/staged/events     (latest event, or status 'none')
 *   POST /networks/{id}/firmwareUpgrades/staged/events     { toVersion: { shortName }, productType?, stages?, scheduledFor?, stageDurationSec? }
 *   POST /networks/{id}/firmwareUpgrades/staged/events/rollbacks  { reasons?: [{ category, comment }] }
 */
export { startDashboardSim, type DashboardSim, type DashboardSimOptions } from './server';
export { AccessLog, type AccessLogEntry } from './access-log';
export type { DashboardFault } from './faults';
export type { DeviceStatus, ProductType, UpgradeStatus } from './model';
