import type { DataConverter } from '@temporalio/common';
// The two modules a client needs, not the codec's index (its HTTP codec server and the rest).
import { dataConverterFromEnv } from '../../codec/data-converter';
import { CodecKeyError } from '../../codec/keys';
import { CliError, ExitCode } from './cli-error';

/**
 * The payload converter every netops client and worker uses (encrypting when
 * keys are configured); bad key settings are usage errors. Kept apart from the
 * worker set-up so a client command does not load the worker SDK.
 */
export function optionalDataConverter(): { dataConverter?: DataConverter } {
  try {
    return { dataConverter: dataConverterFromEnv() };
  } catch (err) {
    if (err instanceof CodecKeyError) throw new CliError(err.message, ExitCode.usage);
    throw err;
  }
}
