'use strict';
// Kills a child process group when its parent dies, even by SIGKILL, so a
// crashed CLI or test run never leaves a `temporal` server behind.
// Usage: node reaper.cjs <parentPid> <childPid>
const parent = Number(process.argv[2]);
const child = Number(process.argv[3]);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(signal) {
  try {
    process.kill(-child, signal);
  } catch {
    try {
      process.kill(child, signal);
    } catch {
      /* already gone */
    }
  }
}

const timer = setInterval(() => {
  if (!alive(child)) process.exit(0);
  if (!alive(parent)) {
    killGroup('SIGTERM');
    setTimeout(() => {
      killGroup('SIGKILL');
      process.exit(0);
    }, 3000);
    clearInterval(timer);
  }
}, 500);
