import type { ClientBase } from "pg";

/**
 * The ledger's schema as ordered, append-only migrations. `migrate()` is idempotent and safe to run
 * concurrently: one transaction, serialized by an advisory lock, applies only the versions
 * `schema_migrations` does not list yet. Never edit a shipped migration; add the next one.
 */

// The migrations are a contract the ledger components read too (the migration run's trigger).
import { Migration, MIGRATIONS } from "../../contracts/ledger-schema";
export { type Migration, MIGRATIONS, PROJECTOR_ROLE } from "../../contracts/ledger-schema";

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
