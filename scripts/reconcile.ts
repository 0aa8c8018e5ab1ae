/**
 * `npm run reconcile -- (--stack <name> | --outputs <file.json>) --since <ISO time> [--until <ISO time>] [--json]`
 *
 * Compares both regions for the transactions created in the window (the table's createdAt-by-day index):
 * missing in one region, two versions of one transaction (conflicts), receipts missing in either bucket.
 * Exit codes: 0 clean; 1 something needs action; 2 usage, outputs, credentials or an AWS error.
 */
import { DrillUsageError } from "./drill/stack-outputs";
import { COMMAND_DEADLINE_MS, worstCaseText } from "./dr/deadline";
import type { RegionalClients } from "./dr/clients";
import { parseTime, runDrScript, runMain, type DrCliDeps } from "./dr/cli";
import type { DrOutputs } from "./dr/outputs";
import { reconcile, renderReconcileReport, type ReconcileReport } from "./dr/reconciliation";
import { invocation } from "./dr/invocation";

export const USAGE = `Usage: ${invocation("reconcile")} (--stack <name> | --outputs <file.json>) --since <ISO time> [--until <ISO time>] [--json]

  --since <time>      first creation time to compare, e.g. 2026-11-28T18:00:00Z (the start of the outage)
  --until <time>      last creation time to compare (default: now)
  --json              print the report as JSON
  --stack / --outputs where the stack outputs come from (pulumi stack output --json, or a file saved from it)

Exit codes: 0 clean; 1 findings that need action; 2 usage, credentials or AWS error.
${worstCaseText(COMMAND_DEADLINE_MS.reconcile)}
`;

/** Runs the reconciliation of a window against the stack's two regions. */
export function reconcileStack(outputs: DrOutputs, clients: RegionalClients, since: Date, until: Date): Promise<ReconcileReport> {
    const stores = (region: string, bucketName: string) => ({
        region,
        dynamodb: clients.dynamodb(region),
        s3: clients.s3(region),
        tableName: outputs.transactionsTableName,
        bucketName,
    });
    return reconcile({
        stores: { primary: stores(outputs.primaryRegion, outputs.primaryBucketName), secondary: stores(outputs.secondaryRegion, outputs.secondaryBucketName) },
        indexName: outputs.dayIndexName,
        since,
        until,
    });
}

export function main(argv: readonly string[], injected: Partial<DrCliDeps> = {}): Promise<number> {
    const extra = { since: { type: "string" as const }, until: { type: "string" as const }, json: { type: "boolean" as const } };
    return runDrScript("reconcile", USAGE, COMMAND_DEADLINE_MS.reconcile, argv, extra, injected, async (options, outputs, clients, deps) => {
        if (typeof options.since !== "string") {
            throw new DrillUsageError("--since <ISO time> is required (the start of the window, e.g. when the outage began)", { showUsage: true });
        }
        const since = parseTime("since", options.since);
        const until = typeof options.until === "string" ? parseTime("until", options.until) : new Date(deps.now());
        if (since.getTime() > until.getTime()) {
            throw new DrillUsageError(`--since ${since.toISOString()} is after --until ${until.toISOString()}`);
        }
        const report = await reconcileStack(outputs, clients, since, until);
        deps.stdout(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderReconcileReport(report));
        return report.exitCode;
    });
}

if (require.main === module) {
    runMain("reconcile", main);
}
