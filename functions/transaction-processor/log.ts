/**
 * A minimal structured logger: one JSON object per line on stdout. With the function's log format
 * set to JSON, Lambda reads `level` and `timestamp` from these lines, so its application log-level
 * filter applies to them too. Callers pass only fields that are safe to keep: never request bodies,
 * metadata values, idempotency keys or anything card-like.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Local threshold from `LOG_LEVEL` (debug|info|warn|error); defaults to info. */
function threshold(): number {
    const configured = (process.env.LOG_LEVEL ?? "").toLowerCase();
    return configured in SEVERITY ? SEVERITY[configured as LogLevel] : SEVERITY.info;
}

/** `embedded`: structured members such as an embedded-metric-format `_aws` block, written after the fields. */
export function log(level: LogLevel, message: string, fields: LogFields = {}, embedded: Readonly<Record<string, unknown>> = {}): void {
    if (SEVERITY[level] < threshold()) {
        return;
    }
    const line = JSON.stringify({ level, timestamp: new Date().toISOString(), message, ...fields, ...embedded });
    process.stdout.write(line + "\n");
}

/** Loggable description of an error: its name, code and message, plus the stack for the logs only. */
export function errorFields(error: unknown): LogFields {
    if (error instanceof Error) {
        const code = (error as { code?: unknown }).code;
        return {
            errorName: error.name,
            errorCode: typeof code === "string" ? code : undefined,
            errorMessage: error.message.slice(0, 500),
            errorStack: error.stack?.split("\n").slice(0, 8).join("\n"),
        };
    }
    return { errorName: typeof error, errorMessage: String(error).slice(0, 500) };
}
