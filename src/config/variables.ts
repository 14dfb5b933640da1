import type { Device } from '../inventory/types';

/** The top-level names a template may read. */
export const TEMPLATE_ROOTS = ['device', 'data'];

/**
 * What a template sees of one device: where it is and what it is, plus the
 * inventory's free-form `data`. Credentials are left out on purpose: a
 * template can never put a secret into a configuration line.
 */
export function templateVariables(device: Device): { device: Record<string, unknown>; data: Record<string, unknown> } {
  return {
    device: {
      name: device.name,
      host: device.host,
      platform: device.platform,
      site: device.site,
      groups: device.groups,
      tags: device.tags,
      ...(device.redundancyGroup !== undefined ? { redundancyGroup: device.redundancyGroup } : {}),
    },
    data: device.data,
  };
}
