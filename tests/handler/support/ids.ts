import * as ids from "../../../functions/transaction-processor/ids";

/**
 * The ids the handler derives under the test environment's `TRANSACTION_ID_KEY` (fixture.ts): tests predict an id
 * from a tenant and key exactly as a client with the stack's secret could, and nobody without it can.
 */

/** 32 fixed bytes: the test environment's id key, base64 in `TRANSACTION_ID_KEY`. */
export const TEST_ID_KEY = Buffer.from("payments-dr test id key, 32 byte", "utf8");

export const { TRANSACTION_ID_PATTERN, IDEMPOTENCY_KEY_PATTERN } = ids;

export function transactionIdFor(tenant: string, idempotencyKey: string): string {
    return ids.transactionIdFor(TEST_ID_KEY, tenant, idempotencyKey);
}

export function idempotencyKeyHash(tenant: string, idempotencyKey: string): string {
    return ids.idempotencyKeyHash(TEST_ID_KEY, tenant, idempotencyKey);
}
