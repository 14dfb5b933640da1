/**
 * A simulator of the Meraki Dashboard API v1 for tests and benches, held to
 * the official OpenAPI specification (the pinned extract in
 * test/fixtures/meraki; the contract tests validate every request and answer
 * against it): organisations, networks, devices, their availabilities,
 * network firmware upgrades per product type that progress with (scaled)
 * simulated time, rollbacks, a per-organisation request budget shared by
 * every API key (429 + Retry-After beyond it), `perPage`/`startingAfter`
 * pagination with `Link` headers, an X-Request-Id on every answer, and
 * injectable faults. Every request lands in `log`.
 *
 * Operations (under /api/v1, or /shard-<n>/api/v1 after a redirect):
 *   GET  /organizations, /organizations/{id}
 *   GET  /organizations/{id}/networks                        (paged)
 *   GET  /organizations/{id}/devices                         (paged; networkIds[], serials[], productTypes[])
 *   GET  /organizations/{id}/devices/availabilities          (paged; networkIds[], serials[], productTypes[])
 *   GET  /organizations/{id}/devices/statuses                (paged; the same and statuses[]; the older endpoint)
 *   GET  /organizations/{id}/devices/statuses/overview       (counts by status)
 *   GET  /networks/{id}
 *   GET  /networks/{id}/firmwareUpgrades                     (products.<type>.currentVersion, nextUpgrade, lastUpgrade, availableVersions)
 *   PUT  /networks/{id}/firmwareUpgrades                     { products: { <type>: { nextUpgrade: { time, toVersion: { id } } } } }
 *   POST /networks/{id}/firmwareUpgrades/rollbacks           { product?, time?, reasons: [{ category, comment }], toVersion?: { id } }
 *   GET  /networks/{id}/firmwareUpgrades/staged/groups       (switch networks: groups with their assigned devices)
 *   GET  /networks/{id}/firmwareUpgrades/staged/stages       (the groups in stage order)
 *   GET  /networks/{id}/firmwareUpgrades/staged/events       (the staged event: version, stages with milestones, reasons)
 *   POST /networks/{id}/firmwareUpgrades/staged/events       { products: { switch: { nextUpgrade: { toVersion: { id } } } }, stages: [{ group: { id }, milestones: { scheduledFor } }] }
 *   POST /networks/{id}/firmwareUpgrades/staged/events/defer (pending stages a week later)
 *   POST /networks/{id}/firmwareUpgrades/staged/events/rollbacks { stages: [started stages, new times], reasons }
 *
 * What the specification does not say (and so is the lab's own choice): the
 * version catalogue (firmware-catalog.ts), how long an upgrade takes, that
 * `nextUpgrade` is left out when nothing is pending, the error texts, and how
 * staged events progress (staged-book.ts: stages one after the other, seeded
 * groups, `{ stages: [] }` for no event).
 */
export { startDashboardSim, type DashboardSim, type DashboardSimOptions } from './server';
export { AccessLog, type AccessLogEntry } from './access-log';
export type { DashboardFault } from './faults';
export type { SimStagedGroup } from './staged-book';
export type { DeviceStatus, ProductType, SimVersion } from './model';
export { FIRMWARE_CATALOG } from './firmware-catalog';
