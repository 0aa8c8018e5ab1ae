/**
 * The ledger's schema as ordered, append-only migrations, and the projector's log event the stack counts: shared by
 * the ledger functions (functions/ledger-projector, functions/ledger-migrator) and the ledger components. Never edit
 * a shipped migration; add the next one.
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

/** The log event the stack's metric filter counts (alarm: records the ledger rejected). */
export const REJECTED_RECORD_EVENT = "ledger-record-rejected";
