/**
 * `npm run drill:status -- (--stack <name> | --outputs <file.json|->) [--json]`
 *
 * Read-only report of the Route 53 failover for payments-dr: both regional health checks as Route 53
 * evaluates them, which record (PRIMARY/SECONDARY) Route 53 answers with, and Route 53's own
 * TestDNSAnswer. Exit codes: 0 = PRIMARY answers and both regions healthy; 1 = failover in effect or a
 * region unhealthy (or another problem listed in the report); 2 = status could not be determined
 * (usage, stack outputs, credentials, permissions, Route 53 API errors).
 * Logic lives in scripts/drill/; this file only parses flags, loads outputs and prints.
 */
import { promises as fs } from "fs";
import { parseArgs } from "util";
import type { Route53Client } from "@aws-sdk/client-route-53";
import { COMMAND_DEADLINE_MS, worstCaseText } from "./dr/deadline";
import { describeAwsError } from "./drill/aws-errors";
import { renderReport, type DrillStatusReport } from "./drill/report";
import { createRoute53Client, getDrillStatus } from "./drill/route53-status";
import { defaultExecFile, DrillUsageError, loadOutputsFromPulumi, parseStackOutputsJson, type DrillOutputs, type ExecFileFn } from "./drill/stack-outputs";
import { invocation } from "./dr/invocation";

export const USAGE = `Usage: ${invocation("drill:status")} (--stack <name> | --outputs <file.json|->) [--json]

  --stack <name>      read outputs with \`pulumi stack output --json --stack <name>\`
  --outputs <file>    read outputs from a file saved from \`pulumi stack output --json\`; "-" reads stdin
  --json              print the report as JSON on stdout
  -h, --help          show this help

Exit codes: 0 PRIMARY answers and both regions healthy; 1 failover in effect or a region unhealthy;
2 usage, stack output, credential or Route 53 API error (status unknown).
AWS credentials come from the SDK default chain (AWS_PROFILE, SSO, environment, instance role).
${worstCaseText(COMMAND_DEADLINE_MS["drill:status"])}
`;

export interface CliDeps {
    /** Route 53 client factory; the client is destroyed after use only when this default factory made it. */
    readonly createClient: () => Route53Client;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    readonly readStdin: () => Promise<string>;
    readonly readFile: (path: string) => Promise<string>;
    readonly execFile: ExecFileFn;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly now: () => Date;
}

const defaultDeps: CliDeps = {
    createClient: () => createRoute53Client(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
        if (process.stdin.isTTY) {
            throw new DrillUsageError(
                "--outputs - reads stdin, but nothing is piped in; e.g. `pulumi stack output --json | npm run drill:status -- --outputs -`",
            );
        }
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) {
            chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
        }
        return Buffer.concat(chunks).toString("utf8");
    },
    readFile: (path) => fs.readFile(path, "utf8"),
    execFile: defaultExecFile,
    env: process.env,
    now: () => new Date(),
};

interface CliOptions {
    readonly outputs?: string;
    readonly stack?: string;
    readonly json: boolean;
    readonly help: boolean;
}

/** Parses flags; throws DrillUsageError on anything unexpected. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
    let values: { outputs?: string; stack?: string; json?: boolean; help?: boolean };
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                outputs: { type: "string" },
                stack: { type: "string" },
                json: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        }));
    } catch (err) {
        throw new DrillUsageError((err as Error).message, { showUsage: true });
    }
    const options: CliOptions = {
        ...(values.outputs !== undefined ? { outputs: values.outputs } : {}),
        ...(values.stack !== undefined ? { stack: values.stack } : {}),
        json: values.json === true,
        help: values.help === true,
    };
    if (options.help) {
        return options;
    }
    if ((options.outputs === undefined) === (options.stack === undefined)) {
        throw new DrillUsageError("give exactly one of --stack <name> or --outputs <file.json|->", { showUsage: true });
    }
    if (options.outputs === "" || options.stack === "" || options.stack?.startsWith("-")) {
        throw new DrillUsageError("--stack and --outputs need a value", { showUsage: true });
    }
    return options;
}

async function loadOutputs(options: CliOptions, deps: CliDeps): Promise<DrillOutputs> {
    if (options.stack !== undefined) {
        return loadOutputsFromPulumi(options.stack, deps.execFile);
    }
    const file = options.outputs!;
    if (file === "-") {
        return parseStackOutputsJson(await deps.readStdin(), "stdin");
    }
    let text: string;
    try {
        text = await deps.readFile(file);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new DrillUsageError(`cannot read --outputs ${file}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`);
    }
    return parseStackOutputsJson(text, file);
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it with injected deps. */
export async function main(argv: readonly string[], injected: Partial<CliDeps> = {}): Promise<number> {
    const deps: CliDeps = { ...defaultDeps, ...injected };
    let json = argv.includes("--json");
    const fail = (kind: string, message: string, showUsage = false): number => {
        deps.stderr(`drill-status: ${message}\n${showUsage ? `\n${USAGE}` : ""}`);
        if (json) {
            deps.stdout(`${JSON.stringify({ exitCode: 2, error: { kind, message } }, null, 2)}\n`);
        }
        return 2;
    };

    let options: CliOptions;
    let outputs: DrillOutputs;
    try {
        options = parseCliArgs(argv);
        json = options.json;
        if (options.help) {
            deps.stdout(USAGE);
            return 0;
        }
        outputs = await loadOutputs(options, deps);
    } catch (err) {
        if (err instanceof DrillUsageError) {
            return fail("usage", err.message, err.showUsage);
        }
        throw err;
    }

    const ownClient = injected.createClient === undefined;
    let client: Route53Client | undefined;
    let report: DrillStatusReport;
    try {
        client = deps.createClient();
        report = await getDrillStatus(client, outputs, deps.now());
    } catch (err) {
        const described = describeAwsError(err, {
            ...(outputs.operatorRoleArn ? { operatorRoleArn: outputs.operatorRoleArn } : {}),
            ...(deps.env.AWS_PROFILE ? { profile: deps.env.AWS_PROFILE } : {}),
        });
        return fail(described.kind, described.message);
    } finally {
        if (ownClient) {
            client?.destroy();
        }
    }

    if (json) {
        deps.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
        deps.stdout(renderReport(report));
    }
    return report.exitCode;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`drill-status: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exitCode = 2;
        },
    );
}
