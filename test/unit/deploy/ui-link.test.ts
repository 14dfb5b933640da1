import { describe, expect, it } from 'vitest';
import { webUiBase, workflowUrl } from '../../../src/cli/shared/ui-link';

// The Web UI link `rollout start` and `config push` print.
describe('the Web UI link', () => {
  it('comes from NETOPS_UI_URL: the compose UI is on 8080, not the gRPC port + 1000', () => {
    expect(webUiBase('127.0.0.1:7233', undefined, { NETOPS_UI_URL: 'http://127.0.0.1:8080/' })).toBe('http://127.0.0.1:8080');
    expect(workflowUrl(webUiBase('127.0.0.1:7233', undefined, { NETOPS_UI_URL: 'http://127.0.0.1:8080' }), 'default', 'rollout/ams1')).toBe(
      'http://127.0.0.1:8080/namespaces/default/workflows/rollout%2Fams1',
    );
  });

  it('prints no link with NETOPS_UI_URL=off (a cluster without a UI)', () => {
    expect(webUiBase('127.0.0.1:7233', undefined, { NETOPS_UI_URL: 'off' })).toBeUndefined();
    expect(webUiBase('127.0.0.1:7233', 'OFF', {})).toBeUndefined();
  });

  it('guesses only for a Temporal on loopback, where the dev server puts its UI', () => {
    expect(webUiBase('127.0.0.1:7300', undefined, {})).toBe('http://127.0.0.1:8300');
    expect(webUiBase('temporal:7233', undefined, {})).toBeUndefined();
  });
});
