import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { API_AUTH_KEYS, ApiAuth, parseApiAuth } from "./api-auth";
import { API_SECURITY_CONFIG_KEYS, ApiSecuritySettings, parseApiSecurity } from "./api-security-config";
import { capacityProblems, HEALTH_RESERVED_CONCURRENCY } from "./capacity";
import { Consistency, CONSISTENCY_KEYS, parseConsistency } from "./consistency";
import { closestName } from "./did-you-mean";
import { LEDGER_CONFIG_KEYS, LedgerSettings, parseLedgerSettings } from "./ledger-config";
import { regionProblem, STACK_PARTITION } from "./regions";
import { parseSafetyNet, SAFETY_NET_CONFIG_KEYS, SafetyNetSettings } from "./safety-net-config";
import { GAME_DAY_CONFIG_KEYS, GameDaySettings, parseGameDays } from "./game-day-config";
import { FAILOVER_CONFIG_KEYS, FailoverSettings, parseFailoverSettings } from "./failover-config";
import { AUDIT_TRAIL_CONFIG_KEYS, AuditTrailSettings, parseAuditTrail } from "./audit-trail-config";

/** The project's config namespace: keys are `payments-dr:<key>` in the stack files. */
export const CONFIG_NAMESPACE = "payments-dr";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export { HEALTH_CHECK_INTERVALS } from "./failover-config";

/** Lambda keeps this many concurrent executions unreserved in every account and region. */
export const LAMBDA_UNRESERVED_MINIMUM = 100;
/** Lambda's memory limits (MB); below 512 the handler's p99 misses the sub-second target. */
export const LAMBDA_MEMORY_MIN_MB = 512;
export const LAMBDA_MEMORY_MAX_MB = 10240;
/** API Gateway HTTP APIs stop waiting for an integration after 30 seconds. */
export const HTTP_API_INTEGRATION_TIMEOUT_S = 30;

/**
 * How the failover name is served.
 * - `custom-domain`: ACM certificates and API Gateway custom domains in each region; the failover records
 *   are aliases to them, so HTTPS clients can call the failover name. Needs a delegated zone.
 * - `dns-only`: no certificates (their DNS validation would never complete in an undelegated zone); the
 *   failover records are CNAMEs to each region's execute-api host, which resolve but which HTTPS clients
 *   cannot call by the failover name.
 */
export const DOMAIN_MODES = ["custom-domain", "dns-only"] as const;
export type DomainMode = (typeof DOMAIN_MODES)[number];

/** The validated, defaulted settings of one stack. Frozen; every component reads from this. */
export interface StackSettings extends SafetyNetSettings, GameDaySettings, ApiSecuritySettings, FailoverSettings, AuditTrailSettings {
    readonly project: string;
    readonly stack: string;
    readonly environment: Environment;
    /** Optional extra part of every name, for personal stacks (e.g. `dev-alice`). */
    readonly nameSuffix?: string;
    /** `environment` plus `nameSuffix`: the environment part of every physical name. */
    readonly envLabel: string;
    readonly primaryRegion: string;
    readonly secondaryRegion: string;
    readonly domainName: string;
    readonly failoverRecordName: string;
    /** `<failoverRecordName>.<domainName>`: the name clients call. */
    readonly failoverFqdn: string;
    readonly hostedZoneId?: string;
    /** The zone this stack created is delegated from the parent domain (so ACM can validate through it). */
    readonly zoneDelegated: boolean;
    readonly domainMode: DomainMode;
    readonly disableExecuteApiEndpoint: boolean;
    readonly alarmEmail?: string;
    readonly logRetentionDays: number;
    readonly lambdaMemoryMb: number;
    readonly lambdaTimeoutSeconds: number;
    readonly reservedConcurrency?: number;
    readonly accountConcurrencyLimit: number;
    readonly replicationTimeControl: boolean;
    readonly reverseReplication: boolean;
    /** An ARC Region switch plan that runs the takeover switch with approval (about $70 a month). */
    readonly regionSwitchPlan: boolean;
    readonly deletionProtection: boolean;
    readonly kmsDeletionWindowDays: number;
    readonly maxAmountMinor: number;
    readonly targetTps: number;
    readonly expectedDurationMs: number;
    readonly apiAccountRateLimit: number;
    readonly tableWarmWriteUnits?: number;
    readonly tableWarmReadUnits?: number;
    /** Region outage (its GET /health fails): the /health path's worst case must meet it. */
    readonly rtoTargetMinutes: number;
    /** Payments failing while /health passes (a brownout): the payment signal's path must meet it. */
    readonly paymentRtoTargetMinutes: number;
    readonly rpoTargetMinutes: number;
    /** A receipt PENDING (the finisher's stream records waiting) this long pages: the region's receipt-pending alarm. */
    readonly pendingReceiptAlarmMinutes: number;
    /** Warm (provisioned) processor environments kept in the secondary region; 0 = none. */
    readonly standbyProvisionedConcurrency: number;
    readonly operatorPrincipalArn?: string;
    /** How callers authenticate and how the tenant is found (`apiAuth`, `jwtIssuer`, `jwtAudience`, `tenantClaim`). */
    readonly apiAuth: ApiAuth;
    /** The table's multi-Region consistency (`consistency`, `witnessRegion`): strong with a witness, or eventual. */
    readonly consistency: Consistency;
    readonly owner: string;
    readonly costCenter: string;
    /** The optional relational ledger (Aurora PostgreSQL Global Database in VPCs); `none` by default. */
    readonly ledger: LedgerSettings;
}

/** Raw config values as strings, keyed without the namespace (what `pulumi config` stores). */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/**
 * Thrown when stack config is invalid; lists every problem, one per line. A `pulumi.RunError`: under the CLI
 * it prints as one clean message, without a stack trace.
 */
export class ConfigValidationError extends pulumi.RunError {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` + problems.map((p) => `  - ${p}`).join("\n"));
        this.name = "ConfigValidationError";
    }
}

/** Every key the program reads; any other `payments-dr:` key is a typo and is refused. */
export const CONFIG_KEYS = [
    "environment",
    "nameSuffix",
    "primaryRegion",
    "secondaryRegion",
    "domainName",
    "failoverRecordName",
    "hostedZoneId",
    "zoneDelegated",
    "domainMode",
    "disableExecuteApiEndpoint",
    "alarmEmail",
    "logRetentionDays",
    "lambdaMemoryMb",
    "lambdaTimeoutSeconds",
    "reservedConcurrency",
    "accountConcurrencyLimit",
    ...FAILOVER_CONFIG_KEYS,
    "replicationTimeControl",
    "reverseReplication",
    "regionSwitchPlan",
    "deletionProtection",
    "kmsDeletionWindowDays",
    "maxAmountMinor",
    "targetTps",
    "expectedDurationMs",
    "apiAccountRateLimit",
    "tableWarmWriteUnits",
    "tableWarmReadUnits",
    "rtoTargetMinutes",
    "paymentRtoTargetMinutes",
    "rpoTargetMinutes",
    "pendingReceiptAlarmMinutes",
    "standbyProvisionedConcurrency",
    "operatorPrincipalArn",
    ...API_AUTH_KEYS,
    ...API_SECURITY_CONFIG_KEYS,
    ...CONSISTENCY_KEYS,
    "owner",
    "costCenter",
    ...LEDGER_CONFIG_KEYS,
    ...SAFETY_NET_CONFIG_KEYS,
    ...GAME_DAY_CONFIG_KEYS,
    ...AUDIT_TRAIL_CONFIG_KEYS,
] as const;

/**
 * Keys that existed once and were replaced: refused with what replaced them, not as a typo. `failoverDrill`
 * inverted the primary's health check through `pulumi up`, which needs Route 53's control plane (in
 * us-east-1) and the Pulumi backend exactly when they may be gone; drills now use the real switch.
 */
export const RETIRED_KEYS: Readonly<Record<string, string>> = {
    failoverDrill:
        "retired: rehearse failover with the real switch, `npm run failover -- --stack <stack> --to secondary`, and end " +
        "the drill with `npm run failback -- --stack <stack>` (README, Failover runbook); remove the key with " +
        "`pulumi config rm failoverDrill`",
};

/** Keys people reach for when they want a third region: refused with the reason, not as a typo. */
const MORE_REGIONS_KEYS = ["tertiaryRegion", "additionalRegions", "regions", "replicaRegions"];

/**
 * Names that cannot carry a production failover record: AWS refuses hosted zones for some (example.com is
 * "reserved by AWS") and the rest are reserved by RFC 2606/6761 and never resolve publicly.
 */
const RESERVED_DOMAINS = ["example.com", "example.net", "example.org"];
const RESERVED_TLDS = ["test", "example", "invalid", "localhost", "local"];

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** 63 characters per DNS label, less the "-dns-only" of the DNS-only failover name. */
const FAILOVER_LABEL_MAX = 63 - "-dns-only".length;
const NAME_SUFFIX = /^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An operator principal of the stack's partition (regions.ts: the only one it deploys to). */
const IAM_PRINCIPAL_ARN = new RegExp(`^arn:${STACK_PARTITION}:(iam::\\d{12}:(root|role/[\\w+=,.@/-]+|user/[\\w+=,.@/-]+)|sts::\\d{12}:assumed-role/.+)$`);
/** What AWS accepts in tag values. */
/** Example values for the fix command of a missing tag key. */
const TAG_EXAMPLES: Readonly<Record<string, string>> = { owner: "payments-platform", costCenter: "cc-4711" };
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/** Why a domain cannot hold the failover record, or undefined when it can. */
export function domainProblem(domain: string): string | undefined {
    const labels = domain.split(".");
    if (domain.length > 253 || labels.length < 2 || !labels.every((l) => DNS_LABEL.test(l))) {
        return "is not a valid lower-case DNS name with at least two labels (e.g. payments.acme-corp.io)";
    }
    const reserved = RESERVED_DOMAINS.find((r) => domain === r || domain.endsWith(`.${r}`));
    if (reserved) {
        return `is under ${reserved}, which is reserved (AWS refuses hosted zones for it); use a domain you own`;
    }
    const tld = labels[labels.length - 1];
    if (RESERVED_TLDS.includes(tld)) {
        return `uses the reserved top-level domain .${tld}, which never resolves publicly; use a domain you own`;
    }
    if (/^\d+$/.test(tld)) {
        return "ends in a numeric label; use a domain name, not an IP address";
    }
    return undefined;
}

interface Problems {
    add(key: string, value: unknown, rule: string): void;
    readonly list: string[];
}

function problemCollector(): Problems {
    const list: string[] = [];
    return {
        list,
        add(key, value, rule) {
            list.push(`\`${CONFIG_NAMESPACE}:${key}\` is ${JSON.stringify(value)}: ${rule}.`);
        },
    };
}

/**
 * Parses and validates raw stack config. Pure: no Pulumi runtime needed. Reports every problem at once;
 * returns a frozen object with all defaults applied.
 */
export function parseStackSettings(raw: RawConfig, project = CONFIG_NAMESPACE, stack = "unknown"): StackSettings {
    const problems = problemCollector();

    for (const key of Object.keys(raw)) {
        if (MORE_REGIONS_KEYS.includes(key)) {
            problems.add(
                key,
                raw[key],
                "this stack is active-passive across exactly two regions (`primaryRegion`, `secondaryRegion`); a third " +
                    "region needs its own failover design (Route 53 answers one PRIMARY and one SECONDARY) and is not supported",
            );
        } else if (RETIRED_KEYS[key] !== undefined) {
            problems.add(key, raw[key], RETIRED_KEYS[key]);
        } else if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
            const meant = closestName(key, CONFIG_KEYS);
            problems.add(
                key,
                raw[key],
                meant
                    ? `unknown key; did you mean \`${meant}\`? Run \`pulumi config rm ${key}\` and \`pulumi config set ${meant} <value>\``
                    : `unknown key; allowed keys are ${CONFIG_KEYS.join(", ")}`,
            );
        }
    }

    const text = (key: string): string | undefined => {
        const value = raw[key];
        return value === undefined || value.trim() === "" ? undefined : value.trim();
    };
    const integer = (key: string, fallback: number | undefined, min: number, max: number, rule: string) => {
        const value = text(key);
        if (value === undefined) {
            return fallback;
        }
        const n = Number(value);
        if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
            problems.add(key, value, rule);
            return fallback;
        }
        return n;
    };
    const bool = (key: string, fallback: boolean) => {
        const value = text(key);
        if (value === undefined) {
            return fallback;
        }
        if (value !== "true" && value !== "false") {
            problems.add(key, value, "must be true or false");
            return fallback;
        }
        return value === "true";
    };
    function oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
        const value = text(key);
        if (value === undefined) {
            return fallback;
        }
        if (!(allowed as readonly string[]).includes(value)) {
            problems.add(key, value, `must be one of ${allowed.join(", ")}`);
            return fallback;
        }
        return value as T;
    }

    // Environment first: several defaults depend on it.
    const envValue = text("environment");
    if (envValue === undefined) {
        problems.list.push(
            `\`${CONFIG_NAMESPACE}:environment\` is missing: set it to one of ${ENVIRONMENTS.join(", ")}; run \`pulumi config set environment dev\`.`,
        );
    }
    const environment = oneOf("environment", ENVIRONMENTS, undefined) ?? "dev";
    const isProd = environment === "prod";

    const nameSuffix = text("nameSuffix");
    if (nameSuffix !== undefined && !NAME_SUFFIX.test(nameSuffix)) {
        problems.add(
            "nameSuffix",
            nameSuffix,
            "must be 1-12 lower-case letters, digits or hyphens, starting and ending with a letter or digit " +
                "(it becomes part of S3 bucket, IAM role and Lambda names)",
        );
    }
    const envLabel = nameSuffix !== undefined && NAME_SUFFIX.test(nameSuffix) ? `${environment}-${nameSuffix}` : environment;

    const primaryRegion = text("primaryRegion") ?? "us-east-1";
    const secondaryRegion = text("secondaryRegion") ?? "us-west-2";
    for (const [key, region] of [
        ["primaryRegion", primaryRegion],
        ["secondaryRegion", secondaryRegion],
    ] as const) {
        const problem = regionProblem(region);
        if (problem) {
            problems.add(key, region, `${problem}`);
        }
    }
    if (primaryRegion === secondaryRegion) {
        problems.add(
            "secondaryRegion",
            secondaryRegion,
            "must differ from `payments-dr:primaryRegion`: a replica in the home region is refused by DynamoDB " + "and gives no disaster recovery",
        );
    }

    const domainName = text("domainName")?.toLowerCase().replace(/\.$/, "");
    if (domainName === undefined) {
        problems.list.push(
            `\`${CONFIG_NAMESPACE}:domainName\` is missing: set the DNS domain that holds the failover record (a domain you own); ` +
                "run `pulumi config set domainName payments.acme-corp.io`.",
        );
    } else {
        const problem = domainProblem(domainName);
        if (problem) {
            problems.add("domainName", domainName, problem);
        }
    }
    const failoverRecordName = text("failoverRecordName") ?? "api";
    if (!DNS_LABEL.test(failoverRecordName) || failoverRecordName.length > FAILOVER_LABEL_MAX) {
        problems.add(
            "failoverRecordName",
            failoverRecordName,
            `must be one lower-case DNS label of at most ${FAILOVER_LABEL_MAX} characters, e.g. api (the DNS-only name adds "-dns-only")`,
        );
    }
    const hostedZoneId = text("hostedZoneId");
    if (hostedZoneId !== undefined && !HOSTED_ZONE_ID.test(hostedZoneId)) {
        problems.add("hostedZoneId", hostedZoneId, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
    }
    const zoneDelegated = bool("zoneDelegated", false);
    const domainMode = oneOf("domainMode", DOMAIN_MODES, "custom-domain") ?? "custom-domain";
    if (isProd && domainMode !== "custom-domain") {
        problems.add("domainMode", domainMode, "prod must use custom-domain: in dns-only mode HTTPS clients cannot call the failover name");
    }
    // Prod turns the default execute-api endpoints off once the custom domains serve the API: anything added on
    // the custom domain would otherwise be bypassed through them. Until then they are the only way in.
    const customDomainsServe = domainMode === "custom-domain" && (hostedZoneId !== undefined || zoneDelegated);
    const disableExecuteApiEndpoint = bool("disableExecuteApiEndpoint", isProd && customDomainsServe);
    if (disableExecuteApiEndpoint && domainMode === "custom-domain" && hostedZoneId === undefined && !zoneDelegated) {
        problems.add(
            "disableExecuteApiEndpoint",
            "true",
            "requires a delegated zone (`payments-dr:zoneDelegated` true or `payments-dr:hostedZoneId`): until the custom " +
                "domains exist, the execute-api endpoint is the only way in",
        );
    }
    if (disableExecuteApiEndpoint && domainMode !== "custom-domain") {
        problems.add(
            "disableExecuteApiEndpoint",
            "true",
            "requires `payments-dr:domainMode` custom-domain: in dns-only mode the execute-api endpoint is the only way in",
        );
    }

    const alarmEmail = text("alarmEmail");
    if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
        problems.add("alarmEmail", alarmEmail, "must be an e-mail address such as oncall@acme-corp.io");
    }

    const defaultRetention = isProd ? 90 : environment === "staging" ? 30 : 7;
    const retentionValue = text("logRetentionDays");
    let logRetentionDays = defaultRetention;
    if (retentionValue !== undefined) {
        const n = Number(retentionValue);
        if ((LOG_RETENTION_DAYS as readonly number[]).includes(n) && /^\d+$/.test(retentionValue)) {
            logRetentionDays = n;
        } else {
            problems.add("logRetentionDays", retentionValue, `must be one of CloudWatch Logs' retention periods: ${LOG_RETENTION_DAYS.join(", ")}`);
        }
    }

    const lambdaMemoryMb = integer(
        "lambdaMemoryMb",
        1024,
        LAMBDA_MEMORY_MIN_MB,
        LAMBDA_MEMORY_MAX_MB,
        `must be an integer from ${LAMBDA_MEMORY_MIN_MB} to ${LAMBDA_MEMORY_MAX_MB} (MB)`,
    )!;
    const lambdaTimeoutSeconds = integer(
        "lambdaTimeoutSeconds",
        10,
        1,
        HTTP_API_INTEGRATION_TIMEOUT_S,
        `must be an integer from 1 to ${HTTP_API_INTEGRATION_TIMEOUT_S} (seconds): the HTTP API stops waiting for ` +
            `the function after ${HTTP_API_INTEGRATION_TIMEOUT_S} s`,
    )!;
    const accountConcurrencyLimit = integer(
        "accountConcurrencyLimit",
        1000,
        LAMBDA_UNRESERVED_MINIMUM + HEALTH_RESERVED_CONCURRENCY,
        10_000_000,
        `must be an integer of at least ${LAMBDA_UNRESERVED_MINIMUM + HEALTH_RESERVED_CONCURRENCY} (the account's Lambda ` +
            `concurrency quota per region: ${LAMBDA_UNRESERVED_MINIMUM} stay unreserved, the health function reserves ${HEALTH_RESERVED_CONCURRENCY})`,
    )!;
    const reservedMax = accountConcurrencyLimit - LAMBDA_UNRESERVED_MINIMUM - HEALTH_RESERVED_CONCURRENCY;
    const reservedConcurrency = integer(
        "reservedConcurrency",
        undefined,
        1,
        Math.max(reservedMax, 0),
        `must be an integer from 1 to ${reservedMax}: Lambda keeps ${LAMBDA_UNRESERVED_MINIMUM} of the account's ` +
            `${accountConcurrencyLimit} (\`accountConcurrencyLimit\`) unreserved and the health function reserves ` +
            `${HEALTH_RESERVED_CONCURRENCY}; leave it unset to use the shared pool`,
    );

    const replicationTimeControl = bool("replicationTimeControl", isProd);
    const reverseReplication = bool("reverseReplication", false);
    const regionSwitchPlan = bool("regionSwitchPlan", false);
    const deletionProtection = bool("deletionProtection", isProd);
    if (isProd && !deletionProtection) {
        problems.add("deletionProtection", "false", "must be true in prod: the table holds the system of record");
    }
    const kmsDeletionWindowDays = integer(
        "kmsDeletionWindowDays",
        isProd ? 30 : 7,
        isProd ? 30 : 7,
        30,
        isProd ? "must be 30 in prod (the longest window KMS allows)" : "must be an integer from 7 to 30 (days)",
    )!;

    const maxAmountMinor = integer(
        "maxAmountMinor",
        100_000_000,
        1,
        Number.MAX_SAFE_INTEGER,
        "must be a positive integer (largest accepted amount in minor units, e.g. cents)",
    )!;
    const targetTps = integer("targetTps", isProd ? 10_000 : 100, 1, 1_000_000, "must be an integer from 1 to 1000000")!;
    const expectedDurationMs = integer(
        "expectedDurationMs",
        80,
        1,
        lambdaTimeoutSeconds * 1000,
        "must be an integer from 1 to the Lambda timeout in ms (the expected duration of one request)",
    )!;
    const apiAccountRateLimit = integer(
        "apiAccountRateLimit",
        10_000,
        1,
        10_000_000,
        "must be a positive integer (the account's API Gateway requests-per-second quota in each region)",
    )!;
    const tableWarmWriteUnits = integer(
        "tableWarmWriteUnits",
        undefined,
        4000,
        40_000_000,
        "must be an integer of at least 4000 (a new on-demand table's baseline) write units per second",
    );
    const tableWarmReadUnits = integer(
        "tableWarmReadUnits",
        undefined,
        12000,
        40_000_000,
        "must be an integer of at least 12000 (a new on-demand table's baseline) read units per second",
    );
    const rtoTargetMinutes = integer("rtoTargetMinutes", isProd ? 2 : 15, 1, 1440, "must be an integer from 1 to 1440")!;
    // The payment path cannot be faster than the one-minute alarms Route 53 accepts (components/payment-signal.ts).
    const paymentRtoTargetMinutes = integer("paymentRtoTargetMinutes", isProd ? 6 : 15, 1, 1440, "must be an integer from 1 to 1440")!;
    const rpoTargetMinutes = integer("rpoTargetMinutes", 5, 1, 1440, "must be an integer from 1 to 1440")!;
    const pendingReceiptAlarmMinutes = integer("pendingReceiptAlarmMinutes", 5, 1, 1440, "must be an integer from 1 to 1440")!;
    // Provisioned concurrency comes out of the function's reservation, else out of the account's unreserved pool.
    const warmMax = Math.max(reservedConcurrency ?? reservedMax, 0);
    const standbyProvisionedConcurrency = integer(
        "standbyProvisionedConcurrency",
        0,
        0,
        warmMax,
        `must be an integer from 0 to ${warmMax}: the warm environments come out of ` +
            (reservedConcurrency !== undefined
                ? `\`reservedConcurrency\` (${reservedConcurrency})`
                : `the account's pool less what stays unreserved (${reservedMax})`),
    )!;

    const operatorPrincipalArn = text("operatorPrincipalArn");
    if (operatorPrincipalArn !== undefined && !IAM_PRINCIPAL_ARN.test(operatorPrincipalArn)) {
        problems.add(
            "operatorPrincipalArn",
            operatorPrincipalArn,
            `must be an IAM principal ARN in the ${STACK_PARTITION} partition (arn:${STACK_PARTITION}:iam::<account>:role/<name>, :user/<name> or :root)`,
        );
    }

    const apiAuth = parseApiAuth(text, { add: problems.add, push: (problem) => problems.list.push(problem) }, CONFIG_NAMESPACE);
    const consistency = parseConsistency(text, { add: problems.add, push: (problem) => problems.list.push(problem) }, CONFIG_NAMESPACE, {
        environment,
        primaryRegion,
        secondaryRegion,
    });

    const tag = (key: string): string => {
        const value = text(key);
        if (value === undefined) {
            problems.list.push(
                `\`${CONFIG_NAMESPACE}:${key}\` is missing: it becomes the ${key} cost-allocation tag; run \`pulumi config set ${key} ${TAG_EXAMPLES[key]}\`.`,
            );
            return "";
        }
        if (!TAG_VALUE.test(value)) {
            problems.add(key, value, "must be 1-256 characters of letters, digits, spaces and _ . : / = + - @ (AWS tag rules)");
        }
        return value;
    };
    const safetyNet = parseSafetyNet({ bool, integer, add: problems.add }, isProd);
    const failover = parseFailoverSettings({ text, integer, add: problems.add }, isProd, domainMode);
    const gameDays = parseGameDays({ bool, text, add: problems.add }, apiAuth.mode);
    const apiSecurity = parseApiSecurity({ text, integer, add: problems.add });
    const auditTrail = parseAuditTrail({ bool }, isProd);

    const owner = tag("owner");
    const costCenter = tag("costCenter");
    const ledger = parseLedgerSettings({ text, isProd, problem: problems.add });

    problems.list.push(
        ...capacityProblems({
            consistency,
            targetTps,
            expectedDurationMs,
            reservedConcurrency,
            accountConcurrencyLimit,
            apiAccountRateLimit,
            tableWarmWriteUnits,
            tableWarmReadUnits,
        }),
    );

    if (problems.list.length > 0) {
        throw new ConfigValidationError(problems.list);
    }
    return Object.freeze({
        project,
        stack,
        environment,
        nameSuffix,
        envLabel,
        primaryRegion,
        secondaryRegion,
        domainName: domainName!,
        failoverRecordName,
        failoverFqdn: `${failoverRecordName}.${domainName}`,
        hostedZoneId,
        zoneDelegated,
        domainMode,
        disableExecuteApiEndpoint,
        alarmEmail,
        logRetentionDays,
        lambdaMemoryMb,
        lambdaTimeoutSeconds,
        reservedConcurrency,
        accountConcurrencyLimit,
        replicationTimeControl,
        reverseReplication,
        regionSwitchPlan,
        deletionProtection,
        kmsDeletionWindowDays,
        maxAmountMinor,
        targetTps,
        expectedDurationMs,
        apiAccountRateLimit,
        tableWarmWriteUnits,
        tableWarmReadUnits,
        rtoTargetMinutes,
        paymentRtoTargetMinutes,
        rpoTargetMinutes,
        pendingReceiptAlarmMinutes,
        standbyProvisionedConcurrency,
        operatorPrincipalArn,
        apiAuth,
        consistency,
        owner,
        costCenter,
        ledger,
        ...safetyNet,
        ...failover,
        ...gameDays,
        ...apiSecurity,
        ...auditTrail,
    });
}

/**
 * Keys that hold personal data: set them with `pulumi config set --secret <key> <value>`. Pulumi.yaml cannot mark
 * them `secret: true`: Pulumi would then refuse every stack that leaves them unset (the default "" is not encrypted).
 */
export const SECRET_KEYS = ["alarmEmail", "transactionIdKey"] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/**
 * A personal-data setting read with the secret-aware API: a secret Output (encrypted in the state, masked in
 * previews) whether or not it was stored encrypted; undefined when unset. Validation used the plain value.
 */
export function secretSetting(settings: StackSettings, key: SecretKey): pulumi.Output<string> | undefined {
    return settings[key] === undefined ? undefined : new pulumi.Config(CONFIG_NAMESPACE).requireSecret(key).apply((v) => v.trim());
}

/** Whether the CLI handed the program `fullKey` as a secret (the SDK knows; its typings do not say so). */
export const isConfigSecret = (fullKey: string): boolean => (runtimeConfig as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(fullKey);

/**
 * What the operator should know about the config itself: personal data in plain text, a prod stack nobody is
 * paged for, an `aws:region` the explicit providers ignore.
 */
export function configNotices(settings: StackSettings, awsRegion: string | undefined, isSecret: (fullKey: string) => boolean): string[] {
    const notices = SECRET_KEYS.filter((key) => settings[key] !== undefined && !isSecret(`${CONFIG_NAMESPACE}:${key}`)).map(
        (key) =>
            `\`${key}\` is ${key === "alarmEmail" ? "personal data" : "a secret"} stored in plain text in Pulumi.${settings.stack}.yaml: encrypt it with ` +
            `\`pulumi config set --secret ${key} <value>\``,
    );
    if (settings.environment === "prod" && settings.alarmEmail === undefined) {
        notices.push("no one is subscribed to prod's alarms: run `pulumi config set --secret alarmEmail <on-call address>`");
    }
    if (awsRegion !== undefined) {
        notices.push(
            `\`aws:region\` (${awsRegion}) is unused: the stack's providers take their regions from \`payments-dr:primaryRegion\` and ` +
                "`payments-dr:secondaryRegion`; remove it with `pulumi config rm aws:region`",
        );
    }
    return notices;
}

/** Reads this stack's `payments-dr:*` config from the Pulumi runtime and validates it. */
export function loadStackSettings(): StackSettings {
    const prefix = `${CONFIG_NAMESPACE}:`;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            raw[key.slice(prefix.length)] = value;
        }
    }
    return parseStackSettings(raw, pulumi.getProject(), pulumi.getStack());
}
