import { Context } from '@temporalio/activity';
import type { LogLevel as SdkLogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error'];

/**
 * Field names whose values never reach a log line, at the top level or up to
 * two objects deep (pino's redaction is path based, so depth is bounded).
 */
export const REDACT_FIELDS = ['password', 'secret', 'apiKey', 'api_key', 'passphrase', 'token', 'privateKey', 'authorization'] as const;
export const REDACTED = '[redacted]';

export interface CreateLoggerOptions {
  level?: LogLevelName;
  /** JSON lines (for collectors) or a readable line per event; default: JSON unless stderr is a terminal. */
  json?: boolean;
  /** Where lines go; default stderr (stdout stays free for command output). */
  destination?: NodeJS.WritableStream;
  /** Fields on every line (e.g. { worker: hostname }). */
  base?: Record<string, unknown>;
}

export function redactPaths(fields: readonly string[] = REDACT_FIELDS): string[] {
  return fields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
}

export function createLogger(opts: CreateLoggerOptions = {}): Logger {
  const out = opts.destination ?? process.stderr;
  const json = opts.json ?? !(out as NodeJS.WriteStream).isTTY;
  const dest: DestinationStream = json ? { write: (line) => void out.write(line) } : humanDestination(out);
  return pino(
    {
      level: opts.level ?? 'info',
      base: opts.base ?? {},
      redact: { paths: redactPaths(), censor: REDACTED },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    dest,
  );
}

let root: Logger | undefined;

/** The process's logger: the one `setRootLogger` installed, else a default on stderr. */
export function rootLogger(): Logger {
  root ??= createLogger({ level: parseLevel(process.env.NETOPS_LOG_LEVEL) ?? 'info' });
  return root;
}

export function setRootLogger(logger: Logger): void {
  root = logger;
}

export function parseLevel(value: string | undefined): LogLevelName | undefined {
  const v = value?.trim().toLowerCase();
  return LOG_LEVELS.find((l) => l === v);
}

/**
 * A logger for the running activity: every line carries the workflow,
 * activity and attempt it belongs to, plus whatever `fields` add (the device).
 * Must be called inside an activity.
 */
export function activityLogger(fields: { device?: string } & Record<string, unknown> = {}, base: Logger = rootLogger()): Logger {
  const info = Context.current().info;
  return base.child({
    workflowId: info.workflowExecution?.workflowId,
    runId: info.workflowExecution?.runId,
    workflowType: info.workflowType,
    activityType: info.activityType,
    activityId: info.activityId,
    attempt: info.attempt,
    taskQueue: info.taskQueue,
    ...fields,
  });
}

const SDK_TO_PINO: Record<SdkLogLevel, LogLevelName> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * Temporal's `Logger` over pino, for `Runtime.install({ logger })`: the SDK's
 * own lines (worker state, workflow `log.*`, activity `Context.log`, and core
 * lines when forwarding is on) come out formatted and redacted like ours.
 */
export function sdkLoggerFor(logger: Logger): SdkLogger {
  const write = (level: SdkLogLevel, message: string, meta?: LogMetadata) => {
    const fields: Record<string, unknown> = {};
    // Symbol keys (the SDK's internal timestamp) do not serialize; drop them.
    for (const [k, v] of Object.entries(meta ?? {})) fields[k] = v;
    logger[SDK_TO_PINO[level] ?? 'info'](fields, message);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}

/** Turns pino's JSON lines into `12:00:01.123 WARN  message key=value ...` for people. */
export function humanDestination(out: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => void out.write(`${formatHumanLine(line)}\n`) };
}

const CONTEXT_FIRST = ['device', 'workflowId', 'workflowType', 'activityType', 'attempt'];

export function formatHumanLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  const { time, level, msg, err, error, ...rest } = entry;
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const lvl = String(level ?? 'info').toUpperCase().padEnd(5);
  const keys = [...CONTEXT_FIRST.filter((k) => k in rest), ...Object.keys(rest).filter((k) => !CONTEXT_FIRST.includes(k))];
  const pairs = keys.map((k) => `${k}=${formatValue(rest[k])}`);
  let text = [clock, lvl, String(msg ?? ''), ...pairs].filter((s) => s !== '').join(' ');
  const failure = (err ?? error) as { message?: string; stack?: string } | undefined;
  if (failure && typeof failure === 'object') text += `\n  ${failure.stack ?? failure.message ?? JSON.stringify(failure)}`;
  return text;
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}
