import * as os from "os";
import * as readline from "readline";
import { DrillUsageError } from "../drill/stack-outputs";
import type { DrOutputs } from "./outputs";

/**
 * `--force` skips safety gates, so forcing must be deliberate and leave a trace (issue 27, "`--force` is only a
 * flag"): it needs `--reason "<text>"` and the stack's name, typed at the prompt or given as `--confirm-stack <name>`
 * when nobody is at a terminal. The script then prints who forced what and why, in words and as one JSON line
 * (`"event":"dr-force"`) that the incident log or a log shipper keeps, and hands the same record to whatever it
 * writes down itself.
 */

export const FORCE_OPTIONS = {
    force: { type: "boolean" as const },
    reason: { type: "string" as const },
    "confirm-stack": { type: "string" as const },
};

/** A reason says something: a few words at least. */
export const MIN_REASON_LENGTH = 10;

export const FORCE_USAGE = `  --reason "<text>"                 why (required with --force, at least ${MIN_REASON_LENGTH} characters); printed with who forced it
  --confirm-stack <name>            the stack's name, required with --force when there is no terminal to type it at`;

export interface ForceRecord {
    readonly event: "dr-force";
    readonly script: string;
    /** The stack the operator confirmed. */
    readonly stack: string;
    /** The local user and host, and the AWS profile when one is named (the AWS principal is not looked up). */
    readonly by: string;
    readonly reason: string;
    /** What forcing skips, in words. */
    readonly skipped: readonly string[];
    readonly at: string;
}

export interface ForceDeps {
    readonly stdout: (text: string) => void;
    readonly now: () => number;
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Asks at the terminal; undefined when there is none (CI, a pipe). */
    readonly prompt: (question: string) => Promise<string | undefined>;
    /** Who runs the script on this machine. */
    readonly operator: () => string;
}

/** The name to confirm: `--stack`'s, else the stack name the outputs carry (the takeover signal's `Stack`). */
export function stackNameOf(options: { readonly stack?: unknown }, outputs: Pick<DrOutputs, "takeoverSignal">): string {
    return typeof options.stack === "string" ? options.stack : (outputs.takeoverSignal.dimensions.Stack ?? Object.values(outputs.takeoverSignal.dimensions)[0]);
}

/** `user@host`, with the AWS profile when one is set. */
export function localOperator(env: Readonly<Record<string, string | undefined>> = process.env): string {
    let user: string;
    try {
        user = os.userInfo().username;
    } catch {
        user = env.USER ?? env.LOGNAME ?? "unknown-user";
    }
    return `${user}@${os.hostname()}${env.AWS_PROFILE ? ` (AWS_PROFILE ${env.AWS_PROFILE})` : ""}`;
}

/** Asks on stdin when it is a terminal; undefined otherwise. (Plain `readline`: the DR tools' bundle resolves it.) */
export function terminalPrompt(question: string): Promise<string | undefined> {
    if (!process.stdin.isTTY) {
        return Promise.resolve(undefined);
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    return new Promise((resolve) =>
        rl.question(question, (answer) => {
            rl.close();
            resolve(answer);
        }),
    );
}

/**
 * Undefined without `--force` (then `--reason`/`--confirm-stack` are refused: they mean nothing alone). With it: the
 * checked, printed record, or a usage error naming what is missing. Nothing has been changed when it refuses.
 */
export async function authorizeForce(
    script: string,
    options: Readonly<Record<string, string | boolean | undefined>>,
    stack: string,
    skipped: readonly string[],
    deps: ForceDeps,
): Promise<ForceRecord | undefined> {
    if (options.force !== true) {
        const stray = ["reason", "confirm-stack"].filter((flag) => options[flag] !== undefined);
        if (stray.length > 0) {
            throw new DrillUsageError(`${stray.map((flag) => `--${flag}`).join(" and ")} only go${stray.length === 1 ? "es" : ""} with --force`);
        }
        return undefined;
    }
    const reason = typeof options.reason === "string" ? options.reason.trim() : "";
    if (reason.length < MIN_REASON_LENGTH) {
        throw new DrillUsageError(
            `--force needs --reason "<why>" of at least ${MIN_REASON_LENGTH} characters (it is recorded with who forced ${script} and when)` +
                (reason === "" ? "" : `, got ${JSON.stringify(reason)}`),
        );
    }
    let confirmed = options["confirm-stack"];
    if (typeof confirmed !== "string") {
        confirmed = (await deps.prompt(`${script} --force skips: ${skipped.join("; ")}.\nType the stack name (${stack}) to go on: `))?.trim();
        if (confirmed === undefined) {
            throw new DrillUsageError(`--force needs the stack name typed at a terminal, or --confirm-stack ${stack} when there is none`);
        }
    }
    if (confirmed !== stack) {
        throw new DrillUsageError(`--force was not confirmed: ${JSON.stringify(confirmed)} is not this stack's name (${stack}); nothing was changed`);
    }
    const record: ForceRecord = { event: "dr-force", script, stack, by: deps.operator(), reason, skipped, at: new Date(deps.now()).toISOString() };
    deps.stdout(`FORCED by ${record.by} on stack ${stack}: ${JSON.stringify(reason)}\n${JSON.stringify(record)}\n`);
    return record;
}
