#!/usr/bin/env python3
"""Peer benchmark: the same collection as bench/collect.ts, in Python asyncssh.

Reads a JSON file {devices: [{name, host, port}], username, password,
commands: [...]} and, for every device, opens one SSH connection and runs
each command on its own exec channel, at most --concurrency connections at
once and --connects-per-second new ones. Prints one JSON line: counts, wall
time, CPU seconds and peak RSS of this process.

--mode shell (default) does what the Node paths do: one interactive shell,
prompt detection, `enable` when the prompt ends in `>`, paging off, then the
commands one after another. --mode exec runs each command on its own exec
channel instead (less work per device; not every network OS allows it).

    python3 bench/peers/asyncssh_collect.py devices.json --concurrency 100
"""
import argparse
import asyncio
import json
import re
import resource
import sys
import time

import asyncssh

PROMPT = re.compile(r"(^|\n)[\w.\-/:]+(\([\w\-]+\))?[>#]\s?$")
VERSION = re.compile(r"Version\s+([\w.()]+)|version\s+([\w.()]+)|FRRouting\s+(\S+)")


class ConnectPacer:
    """New connections per second, handed out in arrival order (a token bucket with burst = rate)."""

    def __init__(self, rate: float):
        self.rate = rate
        self.tokens = rate
        self.last = time.monotonic()
        self.lock = asyncio.Lock()

    async def take(self) -> None:
        async with self.lock:
            while True:
                now = time.monotonic()
                self.tokens = min(self.rate, self.tokens + (now - self.last) * self.rate)
                self.last = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.rate)


async def read_until(stdout, pattern, timeout=60):
    buf = ""
    async def loop():
        nonlocal buf
        while not pattern.search(buf):
            chunk = await stdout.read(65536)
            if not chunk:
                raise ConnectionError("session closed before the prompt")
            buf += chunk
        return buf
    return await asyncio.wait_for(loop(), timeout)


async def run_shell(conn, dev, spec):
    proc = await conn.create_process(term_type="vt100", term_size=(511, 24))
    out = await read_until(proc.stdout, PROMPT)
    if out.rstrip().endswith(">"):
        proc.stdin.write("enable\n")
        await read_until(proc.stdout, re.compile(r"[Pp]assword:\s*$"))
        proc.stdin.write(spec["enableSecret"] + "\n")
        await read_until(proc.stdout, PROMPT)
    if dev.get("platform") in ("iosxe", "nxos"):
        proc.stdin.write("terminal length 0\n")
        await read_until(proc.stdout, PROMPT)
    outputs = []
    for command in spec["commands"]:
        proc.stdin.write(command + "\n")
        outputs.append(await read_until(proc.stdout, PROMPT))
    proc.close()
    return outputs


async def run_exec(conn, spec):
    outputs = []
    for command in spec["commands"]:
        r = await conn.run(command, check=False, timeout=60)
        outputs.append(r.stdout or "")
    return outputs


async def collect(dev, spec, sem, pacer, results, mode):
    async with sem:
        await pacer.take()
        try:
            async with asyncssh.connect(
                dev["host"], port=dev["port"], username=spec["username"], password=spec["password"],
                known_hosts=None, connect_timeout=30,
            ) as conn:
                outputs = await (run_shell(conn, dev, spec) if mode == "shell" else run_exec(conn, spec))
                m = VERSION.search(outputs[0]) if outputs else None
                results["ok"] += 1 if m else 0
                results["unparsed"] += 0 if m else 1
        except Exception as err:  # one device's failure is data, as in the other two paths
            name = type(err).__name__
            results["failed"][name] = results["failed"].get(name, 0) + 1


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("devices_file")
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--connects-per-second", type=float, default=200)
    ap.add_argument("--mode", choices=["shell", "exec"], default="shell")
    a = ap.parse_args()
    with open(a.devices_file) as f:
        spec = json.load(f)
    sem = asyncio.Semaphore(a.concurrency)
    pacer = ConnectPacer(a.connects_per_second)
    results = {"ok": 0, "unparsed": 0, "failed": {}}
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    await asyncio.gather(*(collect(d, spec, sem, pacer, results, a.mode) for d in spec["devices"]))
    seconds = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print(json.dumps({
        "bench": "asyncssh",
        "mode": a.mode,
        "devices": len(spec["devices"]),
        "ok": results["ok"],
        "unparsed": results["unparsed"],
        "failed": results["failed"],
        "seconds": round(seconds, 2),
        "cpuSeconds": round(cpu, 2),
        "peakRssMiB": round(r1.ru_maxrss / 1024, 1),
        "python": sys.version.split()[0],
        "asyncssh": asyncssh.__version__,
    }))


if __name__ == "__main__":
    asyncio.run(main())
