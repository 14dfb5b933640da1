import type { DataConverter } from '@temporalio/common';
import { installRuntime, RuntimeConfigError, runtimeOptionsFromEnv, type InstallRuntimeOptions, type InstalledRuntime } from '../../workers/runtime';
import { CliError, ExitCode } from '../shared/cli-error';
import { optionalDataConverter } from '../shared/data-converter-option';

/**
 * The process-wide pieces every worker-running command sets up the same way:
 * the Temporal Runtime (logs, metrics) from NETOPS_* settings, and payload
 * encryption when keys are configured. Bad settings are usage errors.
 */
export async function setUpWorkerProcess(overrides: InstallRuntimeOptions = {}): Promise<{ runtime: InstalledRuntime; dataConverter?: DataConverter }> {
  let runtime: InstalledRuntime;
  try {
    runtime = await installRuntime({ ...runtimeOptionsFromEnv(), ...overrides });
  } catch (err) {
    if (err instanceof RuntimeConfigError) throw new CliError(err.message, ExitCode.usage);
    throw err;
  }
  return { runtime, ...optionalDataConverter() };
}
