import { promises as fs } from "fs";
import { parseArgs } from "util";
import { describeAwsError } from "../drill/aws-errors";
import { defaultExecFile, DrillUsageError, type ExecFileFn } from "../drill/stack-outputs";
import { createRegionalClients, type RegionalClients } from "./clients";
import { callOf, Deadline, DrCallError } from "./deadline";
import { localOperator, terminalPrompt } from "./force";
import { loadDrOutputs, type DrOutputs } from "./outputs";
import { defaultAnswerProbe, type AnswerProbe } from "./who-answers";

/** What the DR scripts touch outside themselves; tests inject every part. */
export interface DrCliDeps {
    /** Clients whose every call is bounded by the limits and by the command's deadline. */
    readonly clients: (deadline: Deadline) => RegionalClients;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    readonly execFile: ExecFileFn;
    readonly readFile: (path: string) => Promise<string>;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly now: () => number;
    readonly sleep: (ms: number) => Promise<void>;
    /** How the scripts see which region the failover name leads to. */
    readonly probe: AnswerProbe;
    /** Asks the operator at the terminal (a forced failback's stack name); undefined without one. */
    readonly prompt: (question: string) => Promise<string | undefined>;
    /** Who runs the script, for the record of a forced step. */
    readonly operator: () => string;
}

export const defaultDrCliDeps: DrCliDeps = {
    clients: createRegionalClients,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    execFile: defaultExecFile,
    readFile: (path) => fs.readFile(path, "utf8"),
    env: process.env,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    probe: defaultAnswerProbe,
    prompt: terminalPrompt,
    operator: () => localOperator(),
};

export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Parses flags strictly; `--stack` or `--outputs` is required (exactly one) unless `--help`. */
export function parseDrArgs<T extends Record<string, string | boolean | undefined>>(
    argv: readonly string[],
    extra: OptionSpec,
): T & { stack?: string; outputs?: string; help?: boolean } {
    let values: Record<string, string | boolean | undefined>;
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: { stack: { type: "string" }, outputs: { type: "string" }, help: { type: "boolean", short: "h" }, ...extra },
            strict: true,
            allowPositionals: false,
        }));
    } catch (err) {
        throw new DrillUsageError((err as Error).message, { showUsage: true });
    }
    if (values.help !== true && (values.stack === undefined) === (values.outputs === undefined)) {
        throw new DrillUsageError("give exactly one of --stack <name> or --outputs <file.json>", { showUsage: true });
    }
    for (const key of ["stack", "outputs"]) {
        const value = values[key];
        if (typeof value === "string" && (value === "" || value.startsWith("-"))) {
            throw new DrillUsageError(`--${key} needs a value`, { showUsage: true });
        }
    }
    return values as T & { stack?: string; outputs?: string; help?: boolean };
}

/** Parses an ISO-8601 time flag; throws a usage error naming the flag. */
export function parseTime(flag: string, value: string): Date {
    const parsed = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(parsed.getTime())) {
        throw new DrillUsageError(`--${flag} must be an ISO-8601 time such as 2026-11-28T18:00:00Z, got ${JSON.stringify(value)}`);
    }
    return parsed;
}

/**
 * Runs a DR script: parses, loads outputs, runs `body` with the clients, maps failures to exit 2 with one
 * actionable line (the same wording as drill:status for credentials and permissions), closes the clients.
 */
export async function runDrScript(
    name: string,
    usage: string,
    deadlineMs: number,
    argv: readonly string[],
    extra: OptionSpec,
    injected: Partial<DrCliDeps>,
    body: (options: Record<string, string | boolean | undefined>, outputs: DrOutputs, clients: RegionalClients, deps: DrCliDeps) => Promise<number>,
): Promise<number> {
    const deps: DrCliDeps = { ...defaultDrCliDeps, ...injected };
    const fail = (message: string, showUsage = false) => {
        deps.stderr(`${name}: ${message}\n${showUsage ? `\n${usage}` : ""}`);
        return 2;
    };
    let options: Record<string, string | boolean | undefined>;
    let outputs: DrOutputs;
    try {
        options = parseDrArgs(argv, extra);
        if (options.help === true) {
            deps.stdout(usage);
            return 0;
        }
        outputs = await loadDrOutputs({ stack: options.stack as string | undefined, outputs: options.outputs as string | undefined }, deps);
    } catch (err) {
        if (err instanceof DrillUsageError) {
            return fail(err.message, err.showUsage);
        }
        throw err;
    }
    const clients = deps.clients(new Deadline(deadlineMs, deps.now));
    try {
        return await body(options, outputs, clients, deps);
    } catch (err) {
        if (err instanceof DrillUsageError) {
            return fail(err.message, err.showUsage);
        }
        return fail(describeDrError(err, outputs.operatorRoleArn, deps.env.AWS_PROFILE));
    } finally {
        clients.destroy();
    }
}

/** One line: drill:status's wording for credential problems, the operator role for a denial, else the error. */
export function describeDrError(err: unknown, operatorRoleArn?: string, profile?: string): string {
    if (err instanceof DrCallError) {
        return `${err.message}; ${err.region} is unreachable or browned out: re-run once it answers`;
    }
    const described = describeAwsError(err, { ...(operatorRoleArn ? { operatorRoleArn } : {}), ...(profile ? { profile } : {}) });
    const where = callOf(err);
    const text = `${err instanceof Error ? `${err.name}: ${err.message.split("\n")[0]}` : String(err)}${where ? ` (${where.call} in ${where.region})` : ""}`;
    if (described.kind === "access-denied") {
        return `access denied (${text}); assume the DR operator role${operatorRoleArn ? ` ${operatorRoleArn}` : ""} (stack output operatorRoleArn), which allows exactly what this script calls`;
    }
    return ["credentials-missing", "sso-expired", "credentials-expired", "credentials-invalid"].includes(described.kind) ? described.message : text;
}

/** Entry point for `ts-node scripts/<name>.ts`. */
export function runMain(name: string, main: (argv: readonly string[]) => Promise<number>): void {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`${name}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exitCode = 2;
        },
    );
}
