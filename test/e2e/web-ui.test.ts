import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NetopsClient } from '../../src/client/netops-client';
import { startDevServer, type DevServer } from '../../src/server/dev-server';
import { buildActivities } from '../../src/workers/activities';
import { createNetopsWorker } from '../../src/workers/create-worker';
import type { RolloutProgress } from '../../src/contracts/rollout';
import { startLabFixture, TO_VERSION, type LabFixture } from '../support/rollout-fixture';
import { installQuietRuntime } from '../support/temporal';
import { freePort } from './free-port';

/**
 * What an operator sees in Temporal's Web UI while a rollout runs: the static
 * summary and details, the live device table (setCurrentDetails markdown), and
 * the per-activity summaries on each device's page. Drives Debian's chromium
 * through playwright-core; skipped (with the reason) when it is not installed.
 */
const CHROMIUM = process.env.NETOPS_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '..', '..', 'test-artifacts', 'web-ui-rollout.png');
const NAME = 'webui';

function browserMissing(): string | undefined {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return undefined;
  } catch {
    return `${CHROMIUM} is not installed (scripts/ensure-test-packages.sh installs it as root)`;
  }
}
const skipReason = browserMissing();
if (skipReason) process.stderr.write(`web-ui.test.ts skipped: ${skipReason}\n`);

let server: DevServer;
let fx: LabFixture;
let native: NativeConnection;
let worker: Worker;
let workerDone: Promise<void>;
let connection: Connection;
let netops: NetopsClient;
let browser: BrowserContext;
let profileDir: string;
let page: Page;
let canary: string;

async function waitForProgress(pred: (p: RolloutProgress) => boolean, timeoutMs = 60_000): Promise<RolloutProgress> {
  const deadline = Date.now() + timeoutMs;
  let last: RolloutProgress | undefined;
  while (Date.now() < deadline) {
    last = await netops.progress(NAME).catch(() => undefined);
    if (last && pred(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`rollout ${NAME} never got there; last status ${last?.status}`);
}

/** The UI renders user-metadata markdown in iframes; find the one whose text holds `text`. */
async function frameWithText(text: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const body = await frame.locator('body').innerText({ timeout: 1000 }).catch(() => '');
      if (body.includes(text)) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no frame on ${page.url()} shows "${text}"`);
    await page.waitForTimeout(250);
  }
}

async function openRollout(): Promise<void> {
  await page.goto(`${server.uiUrl}/namespaces/default/workflows/rollout%2F${NAME}`);
  await page.getByText(`rollout/${NAME}`).first().waitFor({ timeout: 30_000 });
}

describe.skipIf(skipReason !== undefined)('the rollout in the Temporal Web UI', () => {
  beforeAll(async () => {
    installQuietRuntime();
    server = await startDevServer({ cliPath: inject('temporalCli'), uiPort: await freePort(), headless: false });
    fx = await startLabFixture();
    native = await NativeConnection.connect({ address: server.address });
    worker = await createNetopsWorker({ connection: native, activities: buildActivities(), workflowBundle: { codePath: inject('workflowBundlePath') } });
    workerDone = worker.run();
    connection = await Connection.connect({ address: server.address });
    netops = new NetopsClient(new Client({ connection }));
    // One canary, then the rollout waits for approval: still running while we look.
    await netops.startRollout(await fx.input(NAME, { canary: { count: 1 }, requireApproval: true }));
    canary = (await waitForProgress((p) => p.status === 'awaiting-approval')).canary[0]!;

    profileDir = mkdtempSync(join(tmpdir(), 'netops-chromium-'));
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerDone?.catch(() => undefined);
    await native?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await fx?.stop();
    await server?.stop();
  });

  it('shows the running rollout and its canary child on the timeline', async () => {
    await openRollout();
    await expect(page.getByText('rolloutWorkflow').first().isVisible()).resolves.toBe(true);
    await page.getByText(/^running$/i).first().waitFor();
    // The child's static summary labels its bar on the timeline.
    await page.getByText(`upgrade ${canary} to ${TO_VERSION}`).first().waitFor({ timeout: 30_000 });
  });

  it('shows the summary, the details and the live device table under User Metadata', async () => {
    await openRollout();
    await page.getByText('User Metadata', { exact: true }).first().click();

    const summary = await frameWithText(`Upgrade of 8 devices to ${TO_VERSION}`);
    expect(summary.name()).toContain('summary');
    const details = await frameWithText(`Rollout ${NAME}`);
    expect(await details.locator('body').innerText()).toMatch(/canary\s+1 device\(s\), then wait for approval/);

    const live = await frameWithText('awaiting-approval');
    // The markdown table is rendered as a table, not shown as pipes.
    const headers = await live.getByRole('columnheader').allInnerTexts();
    expect(headers.map((h) => h.trim())).toEqual(['device', 'site', 'group', 'state', 'detail']);
    const others = ['r1-a', 'r1-b', 'r2-a', 'r2-b'].filter((d) => d !== canary);
    for (const device of others) await live.getByRole('cell', { name: device, exact: true }).waitFor({ timeout: 5_000 });
    expect(await live.getByRole('cell', { name: 'waiting: canary-gate' }).count()).toBe(7);
    expect(await live.locator('body').innerText()).not.toContain('| device |');

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it("shows each step of the canary's upgrade on its device page", async () => {
    await page.goto(`${server.uiUrl}/namespaces/default/workflows/device%2F${canary}`);
    await page.getByText('deviceUpgradeWorkflow').first().waitFor({ timeout: 30_000 });
    await page.getByText(`Parent Workflow`).first().waitFor();
    for (const step of [`pre-check ${canary}`, `stage cat9k_iosxe.${TO_VERSION}.SPA.bin on ${canary}`, `verify cat9k_iosxe.${TO_VERSION}.SPA.bin on ${canary}`, `reload ${canary}`, `post-check ${canary}`]) {
      await page.getByText(step).first().waitFor({ timeout: 30_000 });
    }
  });

  it('updates the live table as the rollout moves on', async () => {
    await netops.approve(NAME);
    await waitForProgress((p) => p.status === 'completed', 90_000);
    await openRollout();
    await page.getByText(/^completed$/i).first().waitFor({ timeout: 30_000 });
    await page.getByText('User Metadata', { exact: true }).first().click();
    const live = await frameWithText('completed');
    const text = await live.locator('body').innerText();
    // The UI's markdown renderer typesets 8/8 with a fraction slash.
    expect(text).toMatch(/8[/\u2044]8 done · 0 running · 0 failed/);
    expect(text).toContain('nothing running');
  });
});
