import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../../../src/contracts/search-attributes';

// deploy/temporal/create-namespace.sh against a stand-in `temporal` CLI that
// behaves like a fresh cluster: a namespace just registered is "not found"
// for a while, and a search attribute created before it is visible fails.
// (The script against the real server runs in test/integration/cluster/.)

const script = join(__dirname, '..', '..', '..', 'deploy', 'temporal', 'create-namespace.sh');
const dir = mkdtempSync(join(tmpdir(), 'netops-ns-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FAKE_CLI = `#!/bin/sh
# state: $FAKE_STATE/registered, $FAKE_STATE/describes (count after registering), $FAKE_STATE/attrs (name=type lines)
s="$FAKE_STATE"
visible() { [ -f "$s/registered" ] && [ "$(cat "$s/describes")" -ge "\${FAKE_VISIBLE_AFTER:-0}" ]; }
case "$2 $3" in
  "cluster health") echo SERVING ;;
  "namespace describe")
    if [ -f "$s/registered" ]; then echo $(($(cat "$s/describes") + 1)) > "$s/describes"; fi
    visible || { echo "Error: Namespace default is not found." >&2; exit 1; } ;;
  "namespace create") touch "$s/registered"; echo 0 > "$s/describes" ;;
  "search-attribute create")
    [ -n "\${FAKE_CREATE_FAILS:-}" ] && { echo "Error: unable to add search attributes: permission denied" >&2; exit 1; }
    visible || { echo "Error: Namespace default is not found." >&2; exit 1; }
    name=""; type=""
    while [ $# -gt 0 ]; do case "$1" in --name) name="$2"; shift ;; --type) type="$2"; shift ;; esac; shift; done
    echo "$name=$type" >> "$s/attrs" ;;
  "search-attribute list")
    printf '{"customAttributes": {'
    sep=""
    while IFS== read -r n t; do
      [ "$n" = "\${FAKE_DROP:-}" ] && continue
      case "$t" in KeywordList) t=KEYWORD_LIST ;; *) t=KEYWORD ;; esac
      printf '%s"%s": "INDEXED_VALUE_TYPE_%s"' "$sep" "$n" "$t"; sep=", "
    done < "$s/attrs"
    printf '}}\\n' ;;
  *) echo "fake: unexpected $*" >&2; exit 2 ;;
esac
`;
const cli = join(dir, 'temporal');
writeFileSync(cli, FAKE_CLI);
chmodSync(cli, 0o755);

let n = 0;
function runScript(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; attrs: string[] }> {
  const state = join(dir, `state-${n++}`);
  mkdirSync(state);
  return new Promise((resolveRun) => {
    execFile('sh', [script], { env: { PATH: process.env.PATH, TEMPORAL_CLI: cli, TEMPORAL_ADDRESS: 'fake:7233', FAKE_STATE: state, NAMESPACE_WAIT_SECONDS: '3', ...env } }, (err, stdout, stderr) => {
      let attrs: string[] = [];
      try {
        attrs = readFileSync(join(state, 'attrs'), 'utf8').trim().split('\n');
      } catch {
        /* none created */
      }
      resolveRun({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, attrs });
    });
  });
}

describe('deploy/temporal/create-namespace.sh', () => {
  it('waits until a just-registered namespace is visible, then creates and verifies every search attribute', async () => {
    const run = await runScript({ FAKE_VISIBLE_AFTER: '3' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.attrs).toEqual(SEARCH_ATTRIBUTES.map((a) => `${a.name}=${a.cliType}`));
    expect(run.stdout).toMatch(/registering namespace default[\s\S]*namespace default ready: search attributes NetopsKind, NetopsRolloutId, NetopsTargetVersion, NetopsDevices verified/);
  });

  it('exits non-zero and names the attribute the server does not list', async () => {
    const run = await runScript({ FAKE_DROP: 'NetopsDevices' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/namespace default lacks search attributes: NetopsDevices\(KEYWORD_LIST\); netops rollouts cannot start there/);
    expect(run.stdout).not.toMatch(/ready/);
  });

  it('exits non-zero with the server\'s words when a search attribute cannot be created', async () => {
    const run = await runScript({ FAKE_CREATE_FAILS: '1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: creating search attribute NetopsKind \(Keyword\) in namespace default failed for 3 s on Temporal at fake:7233: Error: unable to add search attributes: permission denied/);
    expect(run.attrs).toEqual([]);
  });
});
