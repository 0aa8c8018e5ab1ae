import { execFile } from "child_process";

/**
 * Loading and validating the payments-dr stack outputs that `drill:status` reads
 * (the JSON printed by `pulumi stack output --json`).
 */

/** A problem the operator must fix before the status can be determined (bad flags, bad outputs, credentials): exit code 2. */
export class DrillUsageError extends Error {
    readonly exitCode = 2;
    /** The problem is with the command line itself: print the usage text after the message. */
    readonly showUsage: boolean;

    constructor(message: string, options: { showUsage?: boolean } = {}) {
        super(message);
        this.name = "DrillUsageError";
        this.showUsage = options.showUsage === true;
    }
}

/** Stack outputs `drill:status` relies on (fixed contract with the Pulumi program). */
export const REQUIRED_OUTPUT_KEYS = [
    "hostedZoneId",
    "failoverDnsName",
    "primaryHealthCheckId",
    "secondaryHealthCheckId",
    "primaryRegion",
    "secondaryRegion",
] as const;

export type RequiredOutputKey = (typeof REQUIRED_OUTPUT_KEYS)[number];

/** Validated, normalised stack outputs. */
export interface DrillOutputs {
    /** Hosted zone ID without any `/hostedzone/` prefix, e.g. `Z0123456789ABCDEFGHIJ`. */
    readonly hostedZoneId: string;
    /** Lower-case record name without the trailing dot, e.g. `api.payments.acme-corp.io`. */
    readonly failoverDnsName: string;
    readonly primaryHealthCheckId: string;
    readonly secondaryHealthCheckId: string;
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
    /** Optional output: the role operators assume to run DR commands; only used in error hints. */
    readonly operatorRoleArn?: string;
}

/** What `pulumi stack output --json` prints for a secret output when `--show-secrets` is not given. */
const PULUMI_SECRET_PLACEHOLDER = "[secret]";

const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
const HEALTH_CHECK_ID = /^[A-Za-z0-9-]{1,64}$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const DNS_NAME = /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Validates the parsed output object. Every missing key is named in one message; values are normalised
 * (hosted zone prefix stripped, DNS name lower-cased without trailing dot).
 * @param source human description of where the outputs came from, used in messages.
 */
export function parseStackOutputs(raw: unknown, source: string): DrillOutputs {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new DrillUsageError(`${source} is not a JSON object of stack outputs (expected the output of \`pulumi stack output --json\`)`);
    }
    const record = raw as Record<string, unknown>;
    const missing = REQUIRED_OUTPUT_KEYS.filter((key) => record[key] === undefined || record[key] === null);
    if (missing.length > 0) {
        const noun = missing.length === 1 ? "output" : "outputs";
        throw new DrillUsageError(
            `missing stack ${noun} ${missing.map((k) => `\`${k}\``).join(", ")} in ${source}; ` +
                `expected ${REQUIRED_OUTPUT_KEYS.join(", ")} (is this the payments-dr stack, and has \`pulumi up\` completed?)`,
        );
    }
    const str = (key: string): string => {
        const value = record[key];
        if (value === PULUMI_SECRET_PLACEHOLDER) {
            throw new DrillUsageError(
                `stack output \`${key}\` is a secret in ${source}; export the outputs with \`pulumi stack output --json --show-secrets\``,
            );
        }
        if (typeof value !== "string" || value.trim() === "") {
            throw new DrillUsageError(`stack output \`${key}\` must be a non-empty string in ${source}, got ${JSON.stringify(value)}`);
        }
        return value.trim();
    };
    const check = (key: string, value: string, pattern: RegExp, what: string): string => {
        if (!pattern.test(value)) {
            throw new DrillUsageError(`stack output \`${key}\` is not ${what} in ${source}: ${JSON.stringify(value)}`);
        }
        return value;
    };

    const hostedZoneId = check("hostedZoneId", str("hostedZoneId").replace(/^\/?hostedzone\//, ""), HOSTED_ZONE_ID, "a Route 53 hosted zone ID");
    const failoverDnsName = check("failoverDnsName", normalizeDnsName(str("failoverDnsName")), DNS_NAME, "a DNS name");
    const primaryHealthCheckId = check("primaryHealthCheckId", str("primaryHealthCheckId"), HEALTH_CHECK_ID, "a Route 53 health check ID");
    const secondaryHealthCheckId = check("secondaryHealthCheckId", str("secondaryHealthCheckId"), HEALTH_CHECK_ID, "a Route 53 health check ID");
    const primaryRegion = check("primaryRegion", str("primaryRegion"), AWS_REGION, "an AWS region");
    const secondaryRegion = check("secondaryRegion", str("secondaryRegion"), AWS_REGION, "an AWS region");
    if (primaryHealthCheckId === secondaryHealthCheckId) {
        throw new DrillUsageError(`stack outputs \`primaryHealthCheckId\` and \`secondaryHealthCheckId\` are the same (${primaryHealthCheckId}) in ${source}`);
    }
    const role = record.operatorRoleArn;
    const operatorRoleArn = typeof role === "string" && role.startsWith("arn:") ? role : undefined;
    return {
        hostedZoneId,
        failoverDnsName,
        primaryHealthCheckId,
        secondaryHealthCheckId,
        primaryRegion,
        secondaryRegion,
        ...(operatorRoleArn ? { operatorRoleArn } : {}),
    };
}

/** Parses the JSON text of `pulumi stack output --json` and validates it. */
export function parseStackOutputsJson(text: string, source: string): DrillOutputs {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (err) {
        throw new DrillUsageError(`${source} is not valid JSON (${(err as Error).message}); expected the output of \`pulumi stack output --json\``);
    }
    return parseStackOutputs(raw, source);
}

/**
 * Route 53 returns names lower-case with a trailing dot and escapes special characters as `\ooo`
 * (octal, e.g. `\052` for `*`). Normalise both sides the same way before comparing.
 */
export function normalizeDnsName(name: string): string {
    return name
        .trim()
        .replace(/\\(\d{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)))
        .toLowerCase()
        .replace(/\.$/, "");
}

/** Result of running a child process; `code` is the exit status. */
export interface ExecResult {
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs a program without a shell. Rejects with the `child_process` error on spawn failure
 * (`code: "ENOENT"` when the program is missing) or non-zero exit (`code` = exit status, `stderr` attached).
 */
export type ExecFileFn = (file: string, args: readonly string[]) => Promise<ExecResult>;

export const defaultExecFile: ExecFileFn = (file, args) =>
    new Promise((resolve, reject) => {
        execFile(file, [...args], { maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
            if (error) {
                reject(Object.assign(error, { stdout, stderr }));
                return;
            }
            resolve({ stdout, stderr });
        });
    });

/** Runs `pulumi stack output --json --stack <stack>` and validates what it prints. */
export async function loadOutputsFromPulumi(stack: string, exec: ExecFileFn = defaultExecFile): Promise<DrillOutputs> {
    const { text, source } = await pulumiStackOutputText(stack, exec);
    return parseStackOutputsJson(text, source);
}

/** The JSON text `pulumi stack output --json --stack <stack>` prints, and a description of it for messages. */
export async function pulumiStackOutputText(stack: string, exec: ExecFileFn = defaultExecFile): Promise<{ text: string; source: string }> {
    const args = ["stack", "output", "--json", "--stack", stack];
    const command = `pulumi ${args.join(" ")}`;
    let result: ExecResult;
    try {
        result = await exec("pulumi", args);
    } catch (err) {
        const e = err as NodeJS.ErrnoException & { stderr?: string };
        if (e.code === "ENOENT") {
            throw new DrillUsageError(
                `the \`pulumi\` CLI was not found on PATH, so \`--stack ${stack}\` cannot read the stack outputs; ` +
                    `install Pulumi, or export the outputs elsewhere with \`${command} > outputs.json\` and pass \`--outputs outputs.json\``,
            );
        }
        const detail = lastLines(e.stderr ?? "", 3) || e.message;
        const status = typeof e.code === "number" ? ` (exit ${e.code})` : "";
        throw new DrillUsageError(`\`${command}\` failed${status}: ${detail}`);
    }
    return { text: result.stdout, source: `the outputs of \`${command}\`` };
}

function lastLines(text: string, count: number): string {
    return text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== "")
        .slice(-count)
        .join(" | ");
}
