/**
 * The User-Agent Meraki asks API integrations to send: the product and its
 * version, then `Caller/(<Application>[/<version>] <Vendor>)` naming who runs
 * it, so the dashboard's API analytics can tell integrations apart. The
 * caller part is the user's (e.g. `NetAutomation/2.1 AcmeCorp`); without one
 * it says `unidentified`, as Meraki's own library does.
 */
export const PRODUCT_NAME = 'TemporalNetops';

/** Application name (CamelCase, no spaces), an optional /version, a space, the vendor name. */
const CALLER_FORMAT = /^[A-Za-z0-9]+(?:\/[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*(?:-[a-z]+)?)? [A-Za-z0-9-]+$/;

export class InvalidCaller extends RangeError {
  constructor(readonly caller: string) {
    super(`dashboard caller "${caller}" is not in Meraki's User-Agent format "ApplicationName[/1.2] VendorName" (CamelCase names, no spaces inside a name), e.g. "NetAutomation/2.1 AcmeCorp"`);
    this.name = 'InvalidCaller';
  }
}

export function checkCaller(caller: string): string {
  if (!CALLER_FORMAT.test(caller)) throw new InvalidCaller(caller);
  return caller;
}

export function userAgent(version: string, caller: string | undefined): string {
  return `${PRODUCT_NAME}/${version} Caller/(${caller === undefined || caller === '' ? 'unidentified' : checkCaller(caller)})`;
}

function readVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../../package.json') as { version: string }).version;
}

export const NETOPS_VERSION = readVersion();
