/** Product types whose firmware `GET /networks/{id}/firmwareUpgrades` reports (API v1). */
export const FIRMWARE_PRODUCTS = ['wireless', 'appliance', 'switch', 'camera', 'cellularGateway', 'sensor'] as const;
export type FirmwareProduct = (typeof FIRMWARE_PRODUCTS)[number];
