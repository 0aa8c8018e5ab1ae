import type { TakeoverObjectives } from "../../program/takeover-objectives";
import type { TakeoverSignalOutput } from "../../contracts/takeover-signal";
import type { TakeoverAuthorityOutput } from "../../contracts/takeover-authority";
import { DrillUsageError, pulumiStackOutputText, type ExecFileFn } from "../drill/stack-outputs";

/**
 * The stack outputs `failover`, `failback` and `reconcile` read (the JSON of `pulumi stack output --json`).
 * Save them beforehand (`pulumi stack output --json --stack prod > prod-outputs.json`) and pass `--outputs`:
 * the Pulumi backend may be out of reach during the very outage the scripts are for.
 */
export interface DrOutputs {
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
    readonly transactionsTableName: string;
    readonly primaryBucketName: string;
    readonly secondaryBucketName: string;
    readonly failoverDnsName: string;
    readonly domainMode: string;
    readonly primaryApiEndpoint: string;
    readonly secondaryApiEndpoint: string;
    readonly takeoverSignal: TakeoverSignalOutput;
    /** The takeover authority (what fences the primary), in the standby region. */
    readonly takeoverAuthority: TakeoverAuthorityOutput;
    readonly reverseReplication: boolean;
    /** S3 replication rule ids by source role (the secondary's only with reverse replication). */
    readonly replicationRuleIds: { readonly primary: string; readonly secondary?: string };
    readonly dayIndexName: string;
    readonly operatorRoleArn?: string;
    /** Expected times of a takeover (output `takeoverObjectives`); the scripts print and wait by them. */
    readonly takeoverObjectives?: TakeoverObjectives;
}

const STRING_KEYS = [
    "primaryRegion",
    "secondaryRegion",
    "transactionsTableName",
    "primaryBucketName",
    "secondaryBucketName",
    "failoverDnsName",
    "domainMode",
    "primaryApiEndpoint",
    "secondaryApiEndpoint",
    "dayIndexName",
] as const;

/** Validates the outputs; every missing key is named in one message. */
export function parseDrOutputs(raw: unknown, source: string): DrOutputs {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new DrillUsageError(`${source} is not a JSON object of stack outputs (expected the output of \`pulumi stack output --json\`)`);
    }
    const record = raw as Record<string, unknown>;
    const required = [...STRING_KEYS, "takeoverSignal", "takeoverAuthority", "reverseReplication", "replicationRuleIds"];
    const missing = required.filter((key) => record[key] === undefined || record[key] === null);
    if (missing.length > 0) {
        throw new DrillUsageError(
            `missing stack output${missing.length === 1 ? "" : "s"} ${missing.map((k) => `\`${k}\``).join(", ")} in ${source} ` +
                "(is this a payments-dr stack deployed with the takeover signal, and are the outputs current?)",
        );
    }
    const strings = {} as Record<(typeof STRING_KEYS)[number], string>;
    for (const key of STRING_KEYS) {
        const value = record[key];
        if (typeof value !== "string" || value.trim() === "" || value === "[secret]") {
            throw new DrillUsageError(`stack output \`${key}\` must be a non-empty string in ${source}, got ${JSON.stringify(value)}`);
        }
        strings[key] = value.trim();
    }
    const signal = record.takeoverSignal as Partial<TakeoverSignalOutput>;
    const signalFields = ["region", "namespace", "metricName", "alarmName", "alarmArn"] as const;
    if (typeof signal !== "object" || signalFields.some((f) => typeof signal[f] !== "string") || typeof signal.dimensions !== "object") {
        throw new DrillUsageError(`stack output \`takeoverSignal\` in ${source} lacks ${signalFields.join(", ")} or dimensions`);
    }
    if (signal.region !== strings.secondaryRegion) {
        throw new DrillUsageError(
            `stack output \`takeoverSignal.region\` (${signal.region}) is not the standby region ${strings.secondaryRegion} in ${source}`,
        );
    }
    const authority = record.takeoverAuthority as Partial<TakeoverAuthorityOutput>;
    if (typeof authority !== "object" || typeof authority.tableName !== "string" || typeof authority.tableArn !== "string") {
        throw new DrillUsageError(`stack output \`takeoverAuthority\` in ${source} lacks tableName or tableArn`);
    }
    if (authority.region !== strings.secondaryRegion) {
        throw new DrillUsageError(
            `stack output \`takeoverAuthority.region\` (${String(authority.region)}) is not the standby region ${strings.secondaryRegion} in ${source}`,
        );
    }
    const ruleIds = record.replicationRuleIds as { primary?: unknown; secondary?: unknown };
    const reverse = record.reverseReplication === true;
    if (typeof ruleIds.primary !== "string" || (reverse && typeof ruleIds.secondary !== "string")) {
        throw new DrillUsageError(
            `stack output \`replicationRuleIds\` must name the primary rule${reverse ? " and, with reverse replication, the secondary rule" : ""} in ${source}`,
        );
    }
    const role = record.operatorRoleArn;
    const objectives = record.takeoverObjectives as Partial<TakeoverObjectives> | undefined;
    const objectiveKeys = ["alarmSeconds", "fencedSeconds", "route53Seconds", "clientsSeconds"] as const;
    const hasObjectives = typeof objectives === "object" && objectives !== null && objectiveKeys.every((k) => typeof objectives[k] === "number");
    return {
        ...strings,
        takeoverSignal: { periodSeconds: 60, ...signal } as TakeoverSignalOutput,
        takeoverAuthority: { region: authority.region, tableName: authority.tableName, tableArn: authority.tableArn },
        reverseReplication: reverse,
        replicationRuleIds: { primary: ruleIds.primary, ...(typeof ruleIds.secondary === "string" ? { secondary: ruleIds.secondary } : {}) },
        ...(typeof role === "string" && role.startsWith("arn:") ? { operatorRoleArn: role } : {}),
        ...(hasObjectives ? { takeoverObjectives: objectives as TakeoverObjectives } : {}),
    };
}

export interface OutputSource {
    readonly stack?: string;
    readonly outputs?: string;
}

export interface OutputDeps {
    readonly execFile: ExecFileFn;
    readonly readFile: (path: string) => Promise<string>;
}

/** Reads the outputs from `pulumi stack output` (`--stack`) or a saved file (`--outputs`). */
export async function loadDrOutputs(from: OutputSource, deps: OutputDeps): Promise<DrOutputs> {
    let text: string;
    let source: string;
    if (from.stack !== undefined) {
        ({ text, source } = await pulumiStackOutputText(from.stack, deps.execFile));
    } else {
        source = from.outputs!;
        try {
            text = await deps.readFile(source);
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            throw new DrillUsageError(`cannot read --outputs ${source}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`);
        }
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (err) {
        throw new DrillUsageError(`${source} is not valid JSON (${(err as Error).message}); expected the output of \`pulumi stack output --json\``);
    }
    return parseDrOutputs(raw, source);
}
