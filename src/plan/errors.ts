/** Every problem found in a plan's input, reported together so the operator fixes them in one go. */
export class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `invalid rollout plan: ${problems[0]}`
        : `invalid rollout plan (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'PlanError';
  }
}
