import { describe, expect, it } from 'vitest';
import { renderRunTable } from '../../../src/cli/collect/render';

const meta = { runId: 'nightly', name: 'nightly', startedAt: '2026-11-23T06:00:00Z', finishedAt: '2026-11-23T06:01:00Z', devices: 0, commands: ['show version'] };

describe('collect show heading', () => {
  it('names the run once when its id is its name (the usual case)', () => {
    expect(renderRunTable(meta, 'nightly', []).split('\n')[0]).toBe('run nightly (started 2026-11-23T06:00:00Z, finished 2026-11-23T06:01:00Z): 0 devices, 0 reachable, 0 failed');
  });

  it('adds the name when it differs from the run id, and says when the run is still going', () => {
    const { finishedAt: _finished, ...running } = meta;
    expect(renderRunTable({ ...running, runId: 'nightly-2', name: 'nightly' }, 'nightly-2', []).split('\n')[0]).toBe(
      'run nightly-2 (nightly, started 2026-11-23T06:00:00Z, still running): 0 devices, 0 reachable, 0 failed',
    );
  });
});
