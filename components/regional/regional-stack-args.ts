import * as pulumi from "@pulumi/pulumi";
import { ApiAuth } from "./api-auth";
import { integerProblem, problemsOf, retentionProblem } from "../shared/component-args";
import { ConsistencyMode } from "../global/consistency";
import type { PolicyStatement } from "../shared/iam";
import { Environment } from "../shared/environment";
import { NameContext, RegionRole } from "../shared/naming";
import { type ProcessorSecurityArgs } from "./processor-security";
import { HTTP_API_INTEGRATION_TIMEOUT_S, LAMBDA_MEMORY_MAX_MB, LAMBDA_MEMORY_MIN_MB } from "../shared/service-limits";
import type { FenceTarget } from "../takeover/authority-store";

export interface RegionalStackArgs {
    /** `primary` or `secondary`: part of every name, and what `/health` reports. */
    readonly role: RegionRole;
    /** The region this stack deploys to. It must be the region of the provider passed as `providers.aws`: checked, the deployment fails otherwise. */
    readonly region: string;
    /** `dev`, `staging` or `prod`: the functions' `APP_ENV` (log fields and metrics). */
    readonly environment: Environment;
    /** The environment part of every physical name (e.g. `prod`, `dev-alice`). */
    readonly envLabel: string;
    /** The stack's random name suffix, created once per stack. */
    readonly nameSuffix: pulumi.Input<string>;
    /** Name of the global table; this region's replica has the same name. The table itself is created by the GlobalLayer. */
    readonly tableName: pulumi.Input<string>;
    /** How callers authenticate (JWT authorizer or SigV4) and where the tenant comes from: every transaction route requires it. */
    readonly apiAuth: ApiAuth;
    /** The transaction-id key, the id migration window and the per-merchant limit (components/regional/processor-security.ts). */
    readonly processorSecurity: ProcessorSecurityArgs;
    /**
     * iam mode: tenant roles the program itself creates (the canaries'), role unique id to merchant id, added to
     * `apiAuth.tenantRoles`; their ids are only known once the roles exist.
     * @default - none
     */
    readonly programTenantRoles?: pulumi.Input<Record<string, string>>;
    /** The global table's consistency mode (the handler maps MRSC conflicts, or detects cross-region conflicts). Must match the GlobalLayer's. */
    readonly consistencyMode: ConsistencyMode;
    /** The stage's default throttle (requests per second and burst) for the transaction routes; `/health` has its own. */
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    /**
     * Protect the key, bucket and versions: `protect` and `retainOnDelete` on data stores, no `forceDestroy`, a year of
     * noncurrent document versions (30 days otherwise).
     * @default environment === "prod"
     */
    readonly protectData?: boolean;
    /**
     * The key's deletion window (7 to 30 days).
     * @default 30
     */
    readonly kmsDeletionWindowDays?: number;
    /**
     * Services besides this stack's own that may use the region's key (e.g. `rds`, `secretsmanager` for a ledger).
     * @default - none
     */
    readonly keyExtraServices?: readonly string[];
    /**
     * Retention of every log group in this region (a CloudWatch Logs retention value).
     * @default 30
     */
    readonly logRetentionDays?: number;
    /**
     * Memory of the transaction processor (512 to 10,240 MB).
     * @default 1024
     */
    readonly lambdaMemoryMb?: number;
    /**
     * Timeout of the transaction processor (1 to 30 s: the HTTP API stops waiting after 30 s).
     * @default 10
     */
    readonly lambdaTimeoutSeconds?: number;
    /**
     * Reserved concurrency of the transaction processor.
     * @default - the account's shared pool
     */
    readonly reservedConcurrency?: number;
    /**
     * Warm (provisioned) processor environments, kept in the secondary region only; above 0 both regions call the
     * processor through a `live` alias (parity).
     * @default 0
     */
    readonly standbyProvisionedConcurrency?: number;
    /**
     * Largest accepted amount, in minor units.
     * @default 100000000
     */
    readonly maxAmountMinor?: number;
    /**
     * Turn the default execute-api endpoint off (once custom domains serve the API).
     * @default false
     */
    readonly disableExecuteApiEndpoint?: boolean;
    /**
     * Email address subscribed to the region's alarm topic.
     * @default - no subscription
     */
    readonly alarmEmail?: pulumi.Input<string>;
    /**
     * Names of the EventBridge rules in this region that may publish to the alarm topic.
     * @default - none
     */
    readonly alertEventRuleNames?: pulumi.Input<readonly string[]>;
    /**
     * Minutes a receipt may stay PENDING before the receipt-pending alarm pages.
     * @default 5
     */
    readonly pendingReceiptAlarmMinutes?: number;
    /**
     * Let AWS FIS inject errors and latency into the transaction processor's invocations (game days): the function
     * creates what it needs under this stack (components/resilience/fault-injection.ts: the FIS extension as a layer, Lambda's
     * wrapper variable and a fault-configuration bucket on the region's key). The extension's wrapper then runs on
     * every invocation.
     * @default - no fault injection
     */
    readonly faultInjection?: AttachFaultInjection;
    /**
     * The takeover authority (a table in the standby region, contracts/takeover-authority.ts) that fences this
     * region's writes, the processor's and the receipt finisher's, while it says the standby has taken over.
     * @default - never fenced (the standby region)
     */
    readonly fence?: FenceTarget;
    /**
     * Secret: the last segment of the path Route 53's HTTPS check probes (`/health/<token>`, 32 of [a-z0-9]).
     * Give both regions the same one (the region-parity policy compares their stages).
     * @default - a token of its own
     */
    readonly healthProbeToken?: pulumi.Input<string>;
}

/** Where an optional part of the processor is created: in this stack's region, as the stack's children. */
export interface ProcessorAttachment {
    /** The stack's name: the prefix of every child's logical name. */
    readonly name: string;
    readonly role: RegionRole;
    /** The region's key: what the part's data stores are encrypted with. */
    readonly keyArn: pulumi.Output<string>;
    readonly protectData: boolean;
    nameOf(f: (ctx: NameContext) => string): pulumi.Output<string>;
    /** The parent of the part's resources: the stack. */
    readonly parent: pulumi.Resource;
}

/** What fault injection adds to the processor. */
export interface ProcessorFaultInjection {
    /** The fault-configuration bucket the processor reads (its role may read it). */
    readonly bucketArn: pulumi.Output<string>;
    /** The FIS extension's layer. */
    readonly layerArn: pulumi.Input<string>;
    /** Lambda's variables that start the runtime through the extension. */
    readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
    /** What the processor's role needs for it (reading the fault configurations). */
    readonly policyStatements: pulumi.Output<PolicyStatement[]>;
}

export type AttachFaultInjection = (host: ProcessorAttachment) => ProcessorFaultInjection;

/** The args with every default applied. */
type OptionalWithoutDefault = "reservedConcurrency" | "alarmEmail" | "fence" | "healthProbeToken" | "programTenantRoles" | "faultInjection";
export type ResolvedRegionalStackArgs = Required<Omit<RegionalStackArgs, OptionalWithoutDefault>> & Pick<RegionalStackArgs, OptionalWithoutDefault>;

export function withRegionalDefaults(args: RegionalStackArgs): ResolvedRegionalStackArgs {
    return {
        ...args,
        protectData: args.protectData ?? args.environment === "prod",
        kmsDeletionWindowDays: args.kmsDeletionWindowDays ?? 30,
        keyExtraServices: args.keyExtraServices ?? [],
        logRetentionDays: args.logRetentionDays ?? 30,
        lambdaMemoryMb: args.lambdaMemoryMb ?? 1024,
        lambdaTimeoutSeconds: args.lambdaTimeoutSeconds ?? 10,
        standbyProvisionedConcurrency: args.standbyProvisionedConcurrency ?? 0,
        maxAmountMinor: args.maxAmountMinor ?? 100_000_000,
        disableExecuteApiEndpoint: args.disableExecuteApiEndpoint ?? false,
        alertEventRuleNames: args.alertEventRuleNames ?? [],
        pendingReceiptAlarmMinutes: args.pendingReceiptAlarmMinutes ?? 5,
    };
}

/** What AWS would refuse in these args, checked before anything is registered. */
export function regionalStackArgProblems(a: RegionalStackArgs): string[] {
    const max = Number.MAX_SAFE_INTEGER;
    return problemsOf([
        integerProblem("kmsDeletionWindowDays", a.kmsDeletionWindowDays ?? 30, 7, 30, "days"),
        retentionProblem("logRetentionDays", a.logRetentionDays ?? 30),
        integerProblem("lambdaMemoryMb", a.lambdaMemoryMb ?? 1024, LAMBDA_MEMORY_MIN_MB, LAMBDA_MEMORY_MAX_MB, "MB"),
        integerProblem("lambdaTimeoutSeconds", a.lambdaTimeoutSeconds ?? 10, 1, HTTP_API_INTEGRATION_TIMEOUT_S, "seconds"),
        a.reservedConcurrency === undefined ? undefined : integerProblem("reservedConcurrency", a.reservedConcurrency, 1, max),
        integerProblem("standbyProvisionedConcurrency", a.standbyProvisionedConcurrency ?? 0, 0, max),
        integerProblem("maxAmountMinor", a.maxAmountMinor ?? 100_000_000, 1, max, "minor units"),
        integerProblem("throttle.rateLimit", a.throttle.rateLimit, 1, max, "requests per second"),
        integerProblem("throttle.burstLimit", a.throttle.burstLimit, 1, max, "requests"),
        integerProblem("pendingReceiptAlarmMinutes", a.pendingReceiptAlarmMinutes ?? 5, 1, 1440, "minutes"),
        a.fence !== undefined && a.fence.region === a.region ? `\`fence.region\` is ${a.region}: the takeover authority lives in the other region` : undefined,
    ]);
}
