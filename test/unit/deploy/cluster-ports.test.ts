import { describe, expect, it } from 'vitest';
import { freeLowPort, MAX_MEMBERSHIP_PORT } from '../../../src/server/cluster-ports';

// Membership ports land in PostgreSQL's SMALLINT cluster_membership.rpc_port.
describe('cluster ports', () => {
  it('are at most 32767 and never handed out twice', async () => {
    const taken = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const port = await freeLowPort(taken);
      expect(port).toBeLessThanOrEqual(MAX_MEMBERSHIP_PORT);
      expect(port).toBeGreaterThanOrEqual(20000);
      expect(taken.has(port)).toBe(false);
      taken.add(port);
    }
  });
});
