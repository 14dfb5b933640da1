import { ControlRejected, NetopsClient, RolloutExists, RolloutNotFound } from '../../client/netops-client';
import { CliError, ExitCode } from './cli-error';
import { connectClient, type ConnectedClient, type TemporalFlags } from './temporal-connection';

/** Runs `fn` with a connected NetopsClient and turns its known failures into one-line CLI errors. */
export async function withNetops<T>(flags: TemporalFlags, fn: (netops: NetopsClient, conn: ConnectedClient) => Promise<T>): Promise<T> {
  const conn = await connectClient(flags);
  try {
    return await fn(new NetopsClient(conn.client), conn);
  } catch (err) {
    if (err instanceof RolloutNotFound) throw new CliError(err.message, ExitCode.notFound);
    if (err instanceof ControlRejected) throw new CliError(`refused: ${err.message}`, ExitCode.rejected);
    // A taken name is the operator's input to fix (like `collect run --name`), not a failure of the work.
    if (err instanceof RolloutExists) throw new CliError(err.message, ExitCode.usage);
    throw err;
  } finally {
    await conn.close();
  }
}
