import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Watches `childPid` from a detached helper and kills its process group when
 * `parentPid` dies, even by SIGKILL: what a test starts never outlives it.
 */
export function startReaper(parentPid: number, childPid: number): void {
  const reaper = spawn(process.execPath, [join(__dirname, 'reaper.cjs'), String(parentPid), String(childPid)], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.unref();
}
