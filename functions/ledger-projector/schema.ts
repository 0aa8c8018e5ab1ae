import type { ClientBase } from "pg";

/**
 * The ledger's schema as ordered, append-only migrations. `migrate()` is idempotent and safe to run
 * concurrently: one transaction, serialized by an advisory lock, applies only the versions
 * `schema_migrations` does not list yet. Never edit a shipped migration; add the next one.
 */

export interface Migration {
    readonly version: number;
    readonly description: string;
    readonly sql: string;
}

/** The database role the projectors connect as (IAM authentication). */
export const PROJECTOR_ROLE = "ledger_projector";

export const MIGRATIONS: readonly Migration[] = [
    {
        version: 1,
        description: "ledger_entries and ledger_rejects",
        sql: `
            CREATE TABLE ledger_entries (
                transaction_id  text PRIMARY KEY CHECK (transaction_id ~ '^txn_[a-z2-7]{26}$'),
                amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
                currency        char(3) NOT NULL,
                merchant_id     text NOT NULL,
                reference       text,
                metadata        jsonb,
                created_at      timestamptz NOT NULL,
                origin_region   text NOT NULL,
                receipt_status  text NOT NULL CHECK (receipt_status IN ('PENDING', 'STORED')),
                version         smallint NOT NULL,
                request_hash    text NOT NULL,
                projected_by    text NOT NULL,
                projected_at    timestamptz NOT NULL DEFAULT now(),
                updated_at      timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX ledger_entries_merchant_created ON ledger_entries (merchant_id, created_at);
            CREATE TABLE ledger_rejects (
                event_id     text PRIMARY KEY,
                reason       text NOT NULL,
                record       jsonb NOT NULL,
                region       text NOT NULL,
                rejected_at  timestamptz NOT NULL DEFAULT now()
            );`,
    },
    {
        version: 2,
        description: "the projector's login role: IAM authentication, write access to the two tables only",
        sql: `
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PROJECTOR_ROLE}') THEN
                    CREATE ROLE ${PROJECTOR_ROLE} LOGIN;
                END IF;
                -- rds_iam exists only on RDS/Aurora: it makes the role log in with IAM tokens.
                IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN
                    GRANT rds_iam TO ${PROJECTOR_ROLE};
                END IF;
            END
            $$;
            GRANT SELECT, INSERT, UPDATE (receipt_status, version, updated_at) ON ledger_entries TO ${PROJECTOR_ROLE};
            GRANT SELECT, INSERT ON ledger_rejects TO ${PROJECTOR_ROLE};`,
    },
];

/** Any constant works; it only has to be the same for every migrator. */
const MIGRATION_LOCK_KEY = 741_852_963;

export interface MigrationResult {
    readonly applied: number[];
    readonly current: number;
}

export async function migrate(client: ClientBase, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
    await client.query("BEGIN");
    try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        await client.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
        );
        const done = new Set((await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version));
        const applied: number[] = [];
        for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
            if (done.has(migration.version)) {
                continue;
            }
            await client.query(migration.sql);
            await client.query("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)", [migration.version, migration.description]);
            applied.push(migration.version);
        }
        await client.query("COMMIT");
        return { applied, current: Math.max(0, ...done, ...applied) };
    } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
    }
}
