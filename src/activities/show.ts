import { showBgpSummary, showFileSystem, showInterfaces, showRedundancy, showVersion } from '../devices/operations';
import { deviceActivity, heartbeat, type DeviceRuntime } from './runtime';
import type { DeviceAccess, RunCommandsInput, RunCommandsResult, Snapshot } from './types';

const MAX_OUTPUT = 4_000;

export function showActivities(rt: DeviceRuntime) {
  /** Runs show commands on one connection; each output is capped to keep the result small. */
  const runCommands = deviceActivity(async (input: RunCommandsInput): Promise<RunCommandsResult> =>
    rt.session(input.device, async (s) => {
      const outputs: RunCommandsResult['outputs'] = [];
      for (const command of input.commands) {
        const output = await s.run(command, input.timeoutMs ? { timeoutMs: input.timeoutMs } : {});
        heartbeat({ done: outputs.length + 1 });
        outputs.push({ command, output: output.slice(0, MAX_OUTPUT), truncated: output.length > MAX_OUTPUT });
      }
      return { outputs };
    }),
  );

  /** Version, redundancy state, free space, BGP and interfaces: the pre/post-check record. */
  const snapshot = deviceActivity(async ({ device }: { device: DeviceAccess }): Promise<Snapshot> =>
    rt.session(device, async (s) => {
      const v = await showVersion(s);
      heartbeat('version');
      const redundancy = await showRedundancy(s);
      // FRR has no image file system: asking would only earn `% Unknown command`.
      const fs = s.dialect.noImages ? { fileSystem: 'none', freeBytes: undefined, totalBytes: undefined } : await showFileSystem(s);
      heartbeat('fs');
      const bgp = await showBgpSummary(s);
      const interfaces = await showInterfaces(s);
      const now = Date.now();
      return {
        device: device.name,
        takenAt: new Date(now).toISOString(),
        version: v.version,
        ...(v.image ? { image: v.image } : {}),
        ...(v.uptimeSeconds !== undefined ? { uptimeSeconds: v.uptimeSeconds, bootedAt: now - v.uptimeSeconds * 1000 } : {}),
        redundancy,
        fileSystem: { name: fs.fileSystem, freeBytes: fs.freeBytes, totalBytes: fs.totalBytes },
        bgp: bgp.map(({ neighbor, as, state, established, prefixesReceived }) => ({ neighbor, as, state, established, ...(prefixesReceived !== undefined ? { prefixesReceived } : {}) })),
        interfaces: interfaces.map((i) => ({ name: i.interface, up: i.up })),
      };
    }),
  );

  return { runCommands, snapshot };
}
