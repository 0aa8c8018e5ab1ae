/**
 * `npm run ledger:check -- (--stack <name> | --outputs <file.json>) --region <region> --since <ISO time> [--until <ISO time>]
 *  [--database-url <postgres://…>] [--reproject] [--json]`
 *
 * The relational ledger against the transactions table for a window: entries missing in the ledger (e.g. acknowledged
 * by the old Aurora writer and lost in an unplanned failover), behind (an older receipt status), different (another
 * request), or not in the table. `--reproject` writes the table's transactions of the window into the ledger again,
 * through the projector's own parser and idempotent upsert, then checks again.
 * Exit codes: 0 the ledger matches the table; 1 differences remain; 2 usage, credentials, AWS or database error.
 */
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { Client } from "pg";
import {
    checkLedger,
    LEDGER_FINDING_KINDS,
    reproject,
    type LedgerFinding,
    type ReprojectCounts,
    type TableImage,
} from "../functions/ledger-projector/ledger-check";
import { transactionKey } from "../functions/transaction-processor/transactions";
import { LEDGER_CHECK_ACTIONS } from "../components/takeover/dr-script-actions";
import { DrillUsageError } from "./drill/stack-outputs";
import { parseTime, runDrScript, runMain, type DrCliDeps } from "./dr/cli";
import { COMMAND_DEADLINE_MS, worstCaseText } from "./dr/deadline";
import { transactionsIn } from "./dr/reconciliation";

/** What this script calls in AWS (the DR operator role allows exactly these; tests compare). */
export const ACTIONS = LEDGER_CHECK_ACTIONS;

export const USAGE = `Usage: npm run ledger:check -- (--stack <name> | --outputs <file.json>) --region <region> --since <ISO time> [--until <ISO time>]
       [--database-url <postgres://…>] [--reproject] [--json]

  --region <region>        the region whose table is read: the ledger writer's (stack output ledgerWriterRegion)
  --since / --until        the creation window to compare (until defaults to now)
  --database-url <url>     the ledger's writer (through a tunnel from this machine); default: the PG* environment
  --reproject              write the table's transactions of the window into the ledger again (idempotent), then re-check
  --json                   print the findings as JSON

Exit codes: 0 the ledger matches the table; 1 differences remain; 2 usage, credentials, AWS or database error.
${worstCaseText(COMMAND_DEADLINE_MS["ledger:check"])} Each database statement gives up after 30 s.
`;

/** What the ledger check needs from the database: connect, query, end. */
export type LedgerClientFactory = (databaseUrl: string | undefined) => Client;

const defaultLedgerClient: LedgerClientFactory = (databaseUrl) =>
    new Client({ ...(databaseUrl === undefined ? {} : { connectionString: databaseUrl }), connectionTimeoutMillis: 10_000, query_timeout: 30_000 });

function render(findings: readonly LedgerFinding[], counts?: ReprojectCounts): string {
    const lines = counts
        ? [
              `re-projected: ${Object.entries(counts)
                  .map(([k, v]) => `${v} ${k}`)
                  .join(", ")}`,
          ]
        : [];
    if (findings.length === 0) {
        lines.push("clean: every transaction of the window is in the ledger, at its table version");
    }
    for (const kind of LEDGER_FINDING_KINDS) {
        for (const f of findings.filter((x) => x.kind === kind)) {
            lines.push(`  ${f.kind.padEnd(17)}  ${f.transactionId}  ${f.detail}`);
        }
    }
    return `${lines.join("\n")}\n`;
}

export function main(argv: readonly string[], injected: Partial<DrCliDeps> & { ledgerClient?: LedgerClientFactory } = {}): Promise<number> {
    const extra = {
        region: { type: "string" as const },
        since: { type: "string" as const },
        until: { type: "string" as const },
        "database-url": { type: "string" as const },
        reproject: { type: "boolean" as const },
        json: { type: "boolean" as const },
    };
    return runDrScript("ledger:check", USAGE, COMMAND_DEADLINE_MS["ledger:check"], argv, extra, injected, async (options, outputs, clients, deps) => {
        const region = options.region;
        if (typeof region !== "string" || ![outputs.primaryRegion, outputs.secondaryRegion].includes(region)) {
            throw new DrillUsageError(`--region must be ${outputs.primaryRegion} or ${outputs.secondaryRegion} (where the ledger's writer is)`, {
                showUsage: true,
            });
        }
        if (typeof options.since !== "string") {
            throw new DrillUsageError("--since <ISO time> is required (e.g. an hour before the Aurora failover)", { showUsage: true });
        }
        const since = parseTime("since", options.since);
        const until = typeof options.until === "string" ? parseTime("until", options.until) : new Date(deps.now());
        const dynamodb = clients.dynamodb(region);
        const rows = await transactionsIn({ dynamodb, tableName: outputs.transactionsTableName }, { indexName: outputs.dayIndexName, since, until });
        const images: TableImage[] = [];
        for (const id of [...rows.keys()].sort()) {
            if (rows.get(id)?.item === undefined) {
                continue;
            }
            const got = await dynamodb.send(
                new GetItemCommand({ TableName: outputs.transactionsTableName, Key: { pk: { S: transactionKey(id).pk }, sk: { S: "TXN" } } }),
            );
            if (got.Item !== undefined) {
                images.push(got.Item as TableImage);
            }
        }
        const client = (injected.ledgerClient ?? defaultLedgerClient)(typeof options["database-url"] === "string" ? options["database-url"] : undefined);
        await client.connect();
        try {
            let counts: ReprojectCounts | undefined;
            if (options.reproject === true) {
                counts = await reproject(client, images, `ledger-check:${region}`);
            }
            const findings = await checkLedger(client, images, since, until);
            deps.stdout(options.json === true ? `${JSON.stringify({ counts, findings }, null, 2)}\n` : render(findings, counts));
            return findings.length === 0 ? 0 : 1;
        } finally {
            await client.end();
        }
    });
}

if (require.main === module) {
    runMain("ledger:check", main);
}
