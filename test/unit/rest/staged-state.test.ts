import { describe, expect, it } from 'vitest';
import { isActive, planStages, readStagedEvent, readStagedGroups, readStageOrder, stageSerials, StagedAnswerError, StagedSetupError, type StagedGroup } from '../../../src/activities/rest/staged-state';

const group = (id: string, name: string, serials: string[], isDefault = false, stacks: string[] = []): StagedGroup => ({ id, name, isDefault, serials, stackIds: stacks });

describe('staged upgrade answers, read strictly', () => {
  it('groups: ids, names, the default flag, assigned devices and stacks', () => {
    const groups = readStagedGroups('N_1', [
      { groupId: '11', name: 'Canary', description: 'x', isDefault: false, assignedDevices: { devices: [{ serial: 'Q2AA-0001-0001', name: 'core' }], switchStacks: [] } },
      { groupId: '12', name: 'Rest', isDefault: true, assignedDevices: { devices: [], switchStacks: [{ id: 'S1', name: 'stack' }] } },
    ]);
    expect(groups).toEqual([group('11', 'Canary', ['Q2AA-0001-0001']), group('12', 'Rest', [], true, ['S1'])]);
  });

  it.each([
    [{ groups: 'none' }, /of groups is not a list/],
    [[{ name: 'no id' }], /has no groups\[0\]\.groupId/],
    [[{ groupId: '1', name: 'x', isDefault: 'yes' }], /isDefault that is not true or false/],
    [[{ groupId: '1', name: 'x', assignedDevices: { devices: [{ name: 'no serial' }] } }], /assignedDevices\.devices\[0\]\.serial/],
  ])('refuses groups %j', (body, message) => {
    expect(() => readStagedGroups('N_1', body)).toThrow(message);
  });

  it('stage order: group ids in order; a stage without a group id is an error', () => {
    expect(readStageOrder('N_1', [{ group: { id: '11', name: 'Canary' } }, { group: { id: '12' } }])).toEqual([{ groupId: '11', name: 'Canary' }, { groupId: '12' }]);
    expect(() => readStageOrder('N_1', [{ group: {} }])).toThrow(StagedAnswerError);
  });

  it('event: progress from the milestones, the status only kept as text', () => {
    const event = readStagedEvent('N_1', {
      products: { switch: { nextUpgrade: { toVersion: { id: '3017', shortName: 'MS 17.1.4' } } } },
      stages: [
        { group: { id: '11', name: 'Canary' }, milestones: { scheduledFor: '2026-12-04T10:00:00Z', startedAt: '2026-12-04T10:00:00Z', completedAt: '2026-12-04T10:10:00Z' }, status: 'Completed' },
        { group: { id: '12' }, milestones: { scheduledFor: '2026-12-04T11:00:00Z', startedAt: '2026-12-04T11:00:00Z' }, status: 'Whatever words' },
        { group: { id: '13' }, milestones: { scheduledFor: '2026-12-04T12:00:00Z' } },
        { group: { id: '14' }, milestones: { scheduledFor: '2026-12-04T13:00:00Z', canceledAt: '2026-12-04T10:30:00Z' } },
      ],
    });
    expect(event.toVersion).toEqual({ id: '3017', shortName: 'MS 17.1.4' });
    expect(event.stages.map((s) => s.phase)).toEqual(['completed', 'running', 'pending', 'canceled']);
    expect(event.stages[1]?.status).toBe('Whatever words');
    expect(isActive(event)).toBe(true);
  });

  it('no event: an answer without stages', () => {
    expect(readStagedEvent('N_1', { stages: [] })).toEqual({ stages: [], reasons: [] });
    expect(isActive(readStagedEvent('N_1', {}))).toBe(false);
  });

  it.each([
    [{ products: { wireless: { nextUpgrade: { toVersion: { id: '1' } } } } }, /stages a product "wireless"/],
    [{ products: { switch: { nextUpgrade: { toVersion: { shortName: 'MS 17' } } } } }, /no products\.switch\.nextUpgrade\.toVersion\.id/],
    [{ stages: [{ group: { id: '1' }, milestones: { scheduledFor: 'soon' } }], products: { switch: { nextUpgrade: { toVersion: { id: '1' } } } } }, /scheduledFor "soon" that is not a date-time/],
    [{ stages: [{ group: { id: '1' }, milestones: {} }] }, /has stages but no products/],
    [{ products: { switch: { nextUpgrade: { toVersion: { id: '1' } } }, switchCatalyst: { nextUpgrade: { toVersion: { id: '2' } } } } }, /more than one product/],
  ])('refuses the event %j', (body, message) => {
    expect(() => readStagedEvent('N_1', body)).toThrow(message);
  });
});

describe('the stage plan', () => {
  it('follows the stage order', () => {
    const stages = planStages('N_1', [group('12', 'Rest', [], true), group('11', 'Canary', ['A'])], [{ groupId: '11' }, { groupId: '12' }]);
    expect(stages.map((s) => [s.name, s.isDefault, s.devices])).toEqual([
      ['Canary', false, 1],
      ['Rest', true, 0],
    ]);
  });

  it('refuses a network without groups, saying how to create them', () => {
    let err: unknown;
    try {
      planStages('N_1', [], []);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StagedSetupError);
    expect((err as Error).name).toBe('NoStagedGroups');
    expect((err as Error).message).toMatch(/network N_1 has no staged upgrade groups; create its staged upgrade groups in the dashboard .*default group.*stage order.*POST \/networks\/\{networkId\}\/firmwareUpgrades\/staged\/groups/);
  });

  it.each([
    [[group('11', 'A', [])], [], /no stage order/],
    [[group('11', 'A', [])], [{ groupId: '99' }], /naming group\(s\) 99 that do not exist/],
    [[group('11', 'A', []), group('12', 'B', [])], [{ groupId: '11' }], /group\(s\) B \(12\) with no stage, whose switches would not be upgraded/],
    [[group('11', 'A', [])], [{ groupId: '11' }, { groupId: '11' }], /lists a group twice/],
  ])('refuses an incomplete set-up (%#)', (groups, order, message) => {
    expect(() => planStages('N_1', groups, order)).toThrow(message);
  });

  it("a stage's switches: its own; the default group's are those no other group names; unknown with stacks", () => {
    const groups = [group('11', 'Canary', ['A']), group('12', 'Rest', [], true)];
    expect(stageSerials(groups, '11', ['A', 'B', 'C'])).toEqual(['A']);
    expect(stageSerials(groups, '12', ['A', 'B', 'C'])).toEqual(['B', 'C']);
    const stacked = [group('11', 'Canary', ['A']), group('12', 'Rest', [], true, ['S1'])];
    expect(stageSerials(stacked, '12', ['A', 'B'])).toBeUndefined();
    expect(stageSerials([group('11', 'Stack', [], false, ['S1'])], '11', ['A'])).toBeUndefined();
  });
});
