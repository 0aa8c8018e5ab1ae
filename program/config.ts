import { ApiAuth, parseApiAuth } from "../components/regional/api-auth";
import { ApiSecuritySettings, parseApiSecurity } from "./api-security-config";
import { capacityProblems } from "./capacity";
import { parseLambdaSettings, parseStandbyConcurrency, parseThroughputSettings } from "./compute-config";
import { CONFIG_NAMESPACE, unknownKeyProblems } from "./config-keys";
import { ConfigValidationError, configReader, problemCollector, RawConfig } from "./config-reader";
import { Consistency, parseConsistency } from "../components/global/consistency";
import { parseDnsSettings } from "./dns-config";
import { DomainMode } from "../components/global/failover-dns";
import { ENVIRONMENTS, Environment } from "../components/shared/environment";
import { LedgerSettings } from "../components/ledger/settings";
import { parseLedgerSettings } from "./ledger-config";
import { regionProblem, STACK_PARTITION } from "../components/shared/regions";
import { parseSafetyNet, SafetyNetSettings } from "./safety-net-config";
import { GameDaySettings, parseGameDays } from "../program/game-day-config";
import { FailoverSettings, parseFailoverSettings } from "../program/failover-config";
import { AuditTrailSettings, parseAuditTrail } from "./audit-trail-config";
import { LOG_RETENTION_DAYS } from "../components/shared/service-limits";

// The program's config: parsed per domain (config-keys, config-reader, dns-config, compute-config and the
// `*-config.ts` of each optional part), assembled here into one frozen StackSettings. Library components never
// import this: the program maps the settings to their args (stack-args.ts).
export { ConfigValidationError, type RawConfig } from "./config-reader";

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

const NAME_SUFFIX = /^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An operator principal of the stack's partition (regions.ts: the only one it deploys to). */
const IAM_PRINCIPAL_ARN = new RegExp(`^arn:${STACK_PARTITION}:(iam::\\d{12}:(root|role/[\\w+=,.@/-]+|user/[\\w+=,.@/-]+)|sts::\\d{12}:assumed-role/.+)$`);
/** Example values for the fix command of a missing tag key. */
const TAG_EXAMPLES: Readonly<Record<string, string>> = { owner: "payments-platform", costCenter: "cc-4711" };
/** What AWS accepts in tag values. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/**
 * Parses and validates raw stack config. Pure: no Pulumi runtime needed. Reports every problem at once;
 * returns a frozen object with all defaults applied.
 */
export function parseStackSettings(raw: RawConfig, project = CONFIG_NAMESPACE, stack = "unknown"): StackSettings {
    const problems = problemCollector();
    unknownKeyProblems(raw, problems);
    const read = configReader(raw, problems);
    const { text, integer, bool, oneOf } = read;

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

    const { domainName, failoverRecordName, hostedZoneId, zoneDelegated, domainMode, disableExecuteApiEndpoint } = parseDnsSettings(read, isProd);

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

    const lambda = parseLambdaSettings(read);
    const { lambdaMemoryMb, lambdaTimeoutSeconds, reservedConcurrency, accountConcurrencyLimit } = lambda;

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

    const throughput = parseThroughputSettings(read, isProd, lambdaTimeoutSeconds);
    const { maxAmountMinor, targetTps, expectedDurationMs, apiAccountRateLimit, tableWarmWriteUnits, tableWarmReadUnits } = throughput;
    const rtoTargetMinutes = integer("rtoTargetMinutes", isProd ? 2 : 15, 1, 1440, "must be an integer from 1 to 1440")!;
    // The payment path cannot be faster than the one-minute alarms Route 53 accepts (components/global/payment-signal.ts).
    const paymentRtoTargetMinutes = integer("paymentRtoTargetMinutes", isProd ? 6 : 15, 1, 1440, "must be an integer from 1 to 1440")!;
    const rpoTargetMinutes = integer("rpoTargetMinutes", 5, 1, 1440, "must be an integer from 1 to 1440")!;
    const pendingReceiptAlarmMinutes = integer("pendingReceiptAlarmMinutes", 5, 1, 1440, "must be an integer from 1 to 1440")!;
    const standbyProvisionedConcurrency = parseStandbyConcurrency(read, lambda);

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
