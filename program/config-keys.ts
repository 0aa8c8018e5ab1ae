import { API_AUTH_KEYS } from "../components/regional/api-auth";
import { API_SECURITY_CONFIG_KEYS } from "./api-security-config";
import { CONSISTENCY_KEYS } from "../components/global/consistency";
import { closestName } from "./did-you-mean";
import { FAILOVER_CONFIG_KEYS } from "../program/failover-config";
import { GAME_DAY_CONFIG_KEYS } from "../program/game-day-config";
import { LEDGER_CONFIG_KEYS } from "./ledger-config";
import { SAFETY_NET_CONFIG_KEYS } from "./safety-net-config";
import { AUDIT_TRAIL_CONFIG_KEYS } from "./audit-trail-config";

/** The project's config namespace: keys are `payments-dr:<key>` in the stack files. */
export const CONFIG_NAMESPACE = "payments-dr";

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
 * Keys that hold personal data: set them with `pulumi config set --secret <key> <value>`. Pulumi.yaml cannot mark
 * them `secret: true`: Pulumi would then refuse every stack that leaves them unset (the default "" is not encrypted).
 */
export const SECRET_KEYS = ["alarmEmail", "transactionIdKey"] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** Adds a problem for each key the program does not read: a third region, a retired key, or a typo (with the closest key). */
export function unknownKeyProblems(
    raw: Readonly<Record<string, string | undefined>>,
    problems: { add(key: string, value: unknown, rule: string): void },
): void {
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
}
