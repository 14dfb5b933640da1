/**
 * Platforms that have no software image for netops to install. FRR is a
 * package on a Linux host: it has no image file system, no boot variable
 * and no `reload` into a new image (on real FRR each of those commands is
 * `% Unknown command`), so an image rollout could only fail at staging.
 * Its operators upgrade the host's `frr` package instead.
 */
const NO_IMAGE: Record<string, string> = {
  frr: "FRR has no software image: it is the 'frr' package of a Linux host, upgraded with the host's package manager (apt, dnf), not by an image rollout",
};

/** Why an image rollout cannot include these devices, one line per platform; empty when all can be upgraded. */
export function imageRolloutRefusals(devices: readonly { name: string; platform?: string }[]): string[] {
  const byPlatform = new Map<string, string[]>();
  for (const d of devices) {
    if (d.platform && NO_IMAGE[d.platform]) byPlatform.set(d.platform, [...(byPlatform.get(d.platform) ?? []), d.name]);
  }
  return [...byPlatform].map(([platform, names]) => {
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
    return `${shown}: ${NO_IMAGE[platform]}. Leave ${names.length === 1 ? 'it' : 'them'} out of the selection (e.g. --filter 'platform != ${platform}')`;
  });
}
