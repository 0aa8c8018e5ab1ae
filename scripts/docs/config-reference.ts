/**
 * docs/configuration.md's key table, generated from `Pulumi.yaml`'s `config:` schema (the file the Pulumi CLI
 * reads, so `pulumi config` and the page say the same): each project key, its type, its schema default and its
 * description, plus a link to the page that explains it. `npm run docs:config` rewrites the section;
 * tests/docs.test.ts fails when it is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { readProjectFile } from "../synth/project-schema";
import { type GeneratedSection, withSection } from "./generated-section";

const ROOT = path.join(__dirname, "..", "..");

/** Where a key is explained beyond its description, relative to docs/. */
export const SEE_ALSO: Readonly<Record<string, string>> = {
    domainMode: "architecture.md#domain-modes",
    disableExecuteApiEndpoint: "architecture.md#domain-modes",
    zoneDelegated: "../README.md#first-deployment",
    alarmEmail: "#secrets-esc-and-provider-settings",
    reservedConcurrency: "architecture.md#capacity-10000-tps",
    accountConcurrencyLimit: "architecture.md#capacity-10000-tps",
    apiAccountRateLimit: "architecture.md#capacity-10000-tps",
    targetTps: "architecture.md#capacity-10000-tps",
    expectedDurationMs: "architecture.md#capacity-10000-tps",
    tableWarmWriteUnits: "architecture.md#capacity-10000-tps",
    tableWarmReadUnits: "architecture.md#capacity-10000-tps",
    standbyProvisionedConcurrency: "architecture.md#standby-readiness",
    healthCheckIntervalSeconds: "architecture.md#recovery-objectives",
    healthCheckFailureThreshold: "architecture.md#recovery-objectives",
    failoverRecordTtlSeconds: "architecture.md#recovery-objectives",
    failoverRecordType: "architecture.md#dns-transitions",
    rtoTargetMinutes: "architecture.md#recovery-objectives",
    paymentRtoTargetMinutes: "architecture.md#recovery-objectives",
    rpoTargetMinutes: "architecture.md#recovery-objectives",
    consistency: "architecture.md#consistency-across-regions-exactly-once",
    witnessRegion: "architecture.md#consistency-across-regions-exactly-once",
    apiAuth: "api.md#authentication-and-tenants",
    jwtIssuer: "api.md#authentication-and-tenants",
    jwtAudience: "api.md#authentication-and-tenants",
    tenantClaim: "api.md#authentication-and-tenants",
    jwtWriteScope: "api.md#authentication-and-tenants",
    jwtReadScope: "api.md#authentication-and-tenants",
    tenantRoles: "api.md#authentication-and-tenants",
    transactionIdKey: "api.md#create-a-transaction",
    legacyTransactionIdsUntil: "api.md#create-a-transaction",
    merchantRateLimit: "api.md#per-merchant-limits",
    merchantBurst: "api.md#per-merchant-limits",
    maxAmountMinor: "api.md#create-a-transaction",
    pendingReceiptAlarmMinutes: "api.md#receipts-are-never-lost",
    operatorPrincipalArn: "runbook.md",
    regionSwitchPlan: "region-switch.md",
    gameDays: "game-days.md",
    canarySchedule: "canaries.md",
    canaryTokenSecret: "canaries.md",
    backup: "safety-net.md#aws-backup",
    backupHourlyRetentionDays: "safety-net.md#aws-backup",
    backupDailyRetentionDays: "safety-net.md#aws-backup",
    backupDocuments: "costs.md#safety-net-prod",
    logArchive: "safety-net.md#log-archive",
    logArchiveRetentionDays: "safety-net.md#log-archive",
    cloudTrailDataEvents: "security.md#what-the-stack-logs-against-pci-dss-v40-requirement-10",
    ledger: "ledger.md",
    ledgerPrimaryVpcCidr: "ledger.md",
    ledgerSecondaryVpcCidr: "ledger.md",
    ledgerInstanceClass: "ledger.md",
    ledgerMinCapacityAcu: "ledger.md",
    ledgerMaxCapacityAcu: "ledger.md",
    ledgerWriterRole: "ledger.md#ledger-switchover-and-failover-runbook",
};

/** One line of a Markdown table cell: pipes escaped, and `<…>` placeholders kept as text (not HTML tags). */
const cell = (text: string) =>
    text.replace(/\s+/g, " ").trim().replace(/\|/g, "\\|").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\*/g, "\\*");

function schemaDefault(declared: { readonly default?: unknown }): string {
    if (!("default" in declared)) {
        return "required";
    }
    if (declared.default === "") {
        return "empty (see the description)";
    }
    const value = typeof declared.default === "string" ? declared.default : JSON.stringify(declared.default);
    return `\`${value.replace(/\|/g, "\\|")}\``;
}

/** The key table, from the project file in `root` (the repository by default). */
export function configReference(root = ROOT): string {
    const { declarations } = readProjectFile(root);
    const rows = Object.entries(declarations).map(([key, d]) => {
        const see = SEE_ALSO[key];
        return `| \`${key}\` | ${d.type ?? ""} | ${schemaDefault(d)} | ${cell(d.description ?? "")} | ${see ? `[more](${see})` : ""} |`;
    });
    return ["| Key | Type | Schema default | Description (`pulumi config` shows it) | |", "|---|---|---|---|---|", ...rows].join("\n");
}

export const CONFIG_REFERENCE: GeneratedSection = {
    page: "docs/configuration.md",
    start: "<!-- config-reference:start (generated from Pulumi.yaml by npm run docs:config) -->",
    end: "<!-- config-reference:end -->",
    generate: () => configReference(),
};

if (require.main === module) {
    const file = path.join(ROOT, CONFIG_REFERENCE.page);
    fs.writeFileSync(file, withSection(fs.readFileSync(file, "utf8"), CONFIG_REFERENCE));
}
