/**
 * One-line JSON logs: one object per line so log shippers and `jq` read them without parsing
 * prose. Each line carries `time`, `level`, `msg`, then the caller's fields.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra context for a log line. The reserved keys are written by the logger itself. */
export type LogFields = Record<string, unknown> & {
	time?: never;
	level?: never;
	msg?: never;
};

export interface Logger {
	debug(msg: string, fields?: LogFields): void;
	info(msg: string, fields?: LogFields): void;
	warn(msg: string, fields?: LogFields): void;
	error(msg: string, fields?: LogFields): void;
	/** A logger that adds `fields` to every line, e.g. a component or request id. */
	child(fields: LogFields): Logger;
}

export interface LoggerOptions {
	/** Lines below this level are dropped. Default `info`. */
	level?: LogLevel;
	/** Fields added to every line. */
	fields?: LogFields;
	/** Where finished lines go. Default: stdout, so one stream keeps lines in order. */
	write?: (line: string) => void;
	/** Clock for the `time` field; injectable so tests get stable output. */
	now?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Parse a LOG_LEVEL value; unset or empty means `info`. */
export function parseLogLevel(value: string | undefined): LogLevel {
	if (value === undefined || value.trim() === '') return 'info';
	const level = value.trim().toLowerCase();
	if (isLogLevel(level)) return level;
	throw new Error(
		`LOG_LEVEL is ${JSON.stringify(value)}, which is not a log level: use one of ${LOG_LEVELS.join(', ')}.`
	);
}

function isLogLevel(value: string): value is LogLevel {
	return (LOG_LEVELS as readonly string[]).includes(value);
}

/** Create a logger writing one JSON object per line. */
export function createLogger(options: LoggerOptions = {}): Logger {
	const threshold = RANK[options.level ?? 'info'];
	const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
	const now = options.now ?? (() => new Date());
	const base = options.fields ?? {};

	const log = (level: LogLevel, msg: string, fields?: LogFields): void => {
		if (RANK[level] < threshold) return;
		const entry: Record<string, unknown> = { time: now().toISOString(), level, msg };
		for (const [key, value] of Object.entries({ ...base, ...fields })) {
			// The type already forbids these keys; this also stops an explicit `undefined` erasing them.
			if (!(key in entry)) entry[key] = value;
		}
		write(formatLine(entry));
	};

	return {
		debug: (msg, fields) => log('debug', msg, fields),
		info: (msg, fields) => log('info', msg, fields),
		warn: (msg, fields) => log('warn', msg, fields),
		error: (msg, fields) => log('error', msg, fields),
		child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } })
	};
}

function formatLine(entry: Record<string, unknown>): string {
	try {
		return JSON.stringify(entry, replaceUnserializable);
	} catch (error) {
		// A circular field must not turn a log call into a crash; keep the message at least.
		return JSON.stringify({
			time: entry.time,
			level: entry.level,
			msg: entry.msg,
			logError: `fields could not be serialized: ${String(error)}`
		});
	}
}

// Errors have no enumerable own properties and would log as `{}`; bigints make JSON.stringify throw.
function replaceUnserializable(_key: string, value: unknown): unknown {
	if (value instanceof Error) {
		const serialized: Record<string, unknown> = {
			name: value.name,
			message: value.message,
			stack: value.stack
		};
		if ('code' in value) serialized.code = value.code;
		if (value.cause !== undefined) serialized.cause = value.cause;
		return serialized;
	}
	if (typeof value === 'bigint') return value.toString();
	return value;
}
