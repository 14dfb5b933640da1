import type { DeviceStatus, ProductType, SimDevice, SimNetwork, SimOrg } from './model';
import { seededRandom } from '../rng';

export interface FleetShape {
  orgs: number;
  networksPerOrg: number;
  devicesPerNetwork: number;
  seed: number;
  /** Product types the networks take in turn (one per network); default switch, wireless, appliance. */
  productTypes?: readonly ProductType[];
}

export interface Fleet {
  orgs: SimOrg[];
  networks: SimNetwork[];
  devices: SimDevice[];
}

const MODELS: Record<ProductType, string[]> = {
  switch: ['MS120-8', 'MS225-48LP', 'MS250-24', 'MS390-48'],
  wireless: ['MR36', 'MR46', 'MR56', 'CW9166I'],
  appliance: ['MX68', 'MX85', 'MX105'],
};
const PRODUCTS: ProductType[] = ['switch', 'wireless', 'appliance'];
const SERIAL_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Builds a deterministic fleet; networks hold one product type so an upgrade targets one firmware train. */
export function seedFleet(shape: FleetShape): Fleet {
  const random = seededRandom(shape.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const orgs: SimOrg[] = [];
  const networks: SimNetwork[] = [];
  const devices: SimDevice[] = [];
  const serials = new Set<string>();
  for (let o = 0; o < shape.orgs; o++) {
    const org: SimOrg = { id: String(500_000 + o * 37), name: `Org ${o + 1}` };
    orgs.push(org);
    for (let n = 0; n < shape.networksPerOrg; n++) {
      const products = shape.productTypes?.length ? shape.productTypes : PRODUCTS;
      const productType = products[n % products.length] as ProductType;
      const network: SimNetwork = {
        id: `L_${org.id}${String(n).padStart(4, '0')}`,
        organizationId: org.id,
        name: `Site ${o + 1}-${n + 1}`,
        productTypes: [productType],
        timeZone: 'Europe/Amsterdam',
      };
      networks.push(network);
      for (let d = 0; d < shape.devicesPerNetwork; d++) {
        let serial: string;
        do serial = `Q2${randomChars(random, 2)}-${randomChars(random, 4)}-${randomChars(random, 4)}`;
        while (serials.has(serial));
        serials.add(serial);
        const roll = random();
        const baseStatus: DeviceStatus = roll < 0.9 ? 'online' : roll < 0.95 ? 'alerting' : roll < 0.99 ? 'offline' : 'dormant';
        devices.push({
          serial,
          name: `${network.name} ${productType} ${d + 1}`,
          model: pick(MODELS[productType]),
          mac: macFor(devices.length),
          networkId: network.id,
          organizationId: org.id,
          productType,
          baseStatus,
        });
      }
    }
  }
  return { orgs, networks, devices };
}

function randomChars(random: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += SERIAL_ALPHABET[Math.floor(random() * SERIAL_ALPHABET.length)];
  return s;
}

function macFor(i: number): string {
  const hex = (0x0c8ddb000000 + i).toString(16).padStart(12, '0');
  return hex.match(/../g)!.join(':');
}
