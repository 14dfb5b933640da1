import { connect } from 'node:net';

import type { ProbeResult, ProbeTarget } from '../contracts/probes';

export type { ProbeResult, ProbeTarget } from '../contracts/probes';

/** Opens a TCP connection and reads the greeting; never throws, so one dead device cannot fail the batch. */
export async function tcpProbe(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolveProbe) => {
    const socket = connect({ host: target.host, port: target.port });
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolveProbe(result);
    };
    const timer = setTimeout(
      () => finish({ name: target.name, ok: false, error: `no answer from ${target.host}:${target.port} within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('data', (chunk) => finish({ name: target.name, ok: true, banner: chunk.toString('utf8').split(/\r?\n/)[0] }));
    socket.once('error', (err) => finish({ name: target.name, ok: false, error: `${target.host}:${target.port}: ${err.message}` }));
  });
}

export const probeActivities = { tcpProbe };
export type ProbeActivities = typeof probeActivities;
