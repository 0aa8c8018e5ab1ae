import { expect } from "chai";
import { REPLICATION_LATENCY_SECONDS, RETRY_AFTER_JITTER_SECONDS } from "../../../functions/transaction-processor/retry-after";

/** A 502/503's Retry-After: whole seconds, never inside the replication window, at most the jitter above it. */
export function expectRetryAfter(value: string | undefined): void {
    expect(value, "retry-after").to.match(/^\d+$/);
    expect(Number(value)).to.be.within(REPLICATION_LATENCY_SECONDS, REPLICATION_LATENCY_SECONDS + RETRY_AFTER_JITTER_SECONDS);
}
