/**
 * The chaos run: a rollout of 100 lab devices in HSRP pairs on three worker
 * processes and a dev server with a SQLite file, with dropped connections,
 * an authentication failure, a corrupt transfer and a device that never
 * comes back, while workers are SIGKILLed every 5-15 s and the server once.
 * A no-kill baseline with the same seed runs first, to price the kills.
 *
 *   npm run chaos                      # 100 devices, 3 workers, seed 1
 *   npm run chaos -- --seed 7 --no-baseline
 *
 * Prints a table and one JSON line; exits 1 when any check fails.
 */
import { Command } from 'commander';
import { chaosJson, renderChaos } from './chaos/report';
import { FULL_CHAOS, runChaos, type ChaosOptions, type ChaosResult } from './chaos/run';

async function main(): Promise<number> {
  const program = new Command('chaos')
    .description('Run a rollout under faults and kills and check that it ends right.')
    .option('--devices <n>', 'lab devices (HSRP pairs)', String(FULL_CHAOS.devices))
    .option('--workers <n>', 'worker processes', String(FULL_CHAOS.workers))
    .option('--window <n>', 'devices in flight', String(FULL_CHAOS.window))
    .option('--seed <n>', 'seed of fault placement and kill moments', String(FULL_CHAOS.seed))
    .option('--overlap-kills', 'kill again while a replacement is still starting (all workers may be down at once)')
    .option('--no-baseline', 'skip the no-kill baseline (time lost is then not measured)')
    .option('--json', 'print only the JSON line')
    .option('--verbose', 'echo the worker processes\' output')
    .addHelpText('after', '\nExample:\n  npm run chaos -- --seed 3\n  npx tsx bench/chaos.ts --devices 20 --workers 2 --no-baseline\n');
  program.parse();
  const o = program.opts<{ devices: string; workers: string; window: string; seed: string; baseline: boolean; overlapKills?: boolean; json?: boolean; verbose?: boolean }>();
  const say = (line: string) => {
    if (!o.json) process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  };
  const base: ChaosOptions = {
    ...FULL_CHAOS,
    devices: Number(o.devices),
    workers: Number(o.workers),
    window: Number(o.window),
    seed: Number(o.seed),
    overlapKills: o.overlapKills ?? false,
    log: say,
    ...(o.verbose ? { onWorkerLine: (l: string) => process.stderr.write(`${l}\n`) } : {}),
  };
  let baseline: ChaosResult | undefined;
  if (o.baseline) {
    say('baseline: same fleet and faults, no kills');
    baseline = await runChaos({ ...base, kills: false });
  }
  say('chaos: the same, with kills');
  const chaos = await runChaos(base);
  if (!o.json) {
    process.stdout.write(`\nchaos run, seed ${chaos.seed}: ${chaos.devices} devices, ${chaos.workers} workers\n\n${renderChaos(chaos, baseline)}\n`);
    if (baseline && !baseline.ok) process.stdout.write(`the baseline failed its checks too:\n${baseline.checks.filter((c) => !c.ok).map((c) => `  FAIL ${c.name}: ${c.detail}`).join('\n')}\n`);
  }
  process.stdout.write(`${JSON.stringify(chaosJson(chaos, baseline))}\n`);
  return chaos.ok && (baseline?.ok ?? true) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
