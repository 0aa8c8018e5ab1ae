/**
 * `Retry-After` for every 502 and 503 (and the fencing answers that reuse it): jittered, so that clients
 * told to come back do not return in one wave, and never shorter than the replication-latency figure, so that
 * a retry routed to the other region does not land inside the window in which that region has not yet seen
 * this one's write.
 *
 * AWS: global tables (multi-Region eventual consistency) replicate "typically within a second", with no SLA
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html); the
 * cross-region reproduction behind this design saw 0.5-2.5 s. 3 s, above both, is the figure this API
 * documents and makes clients wait for. A lag beyond it is what the ReplicationLatency alarm is for.
 */
export const REPLICATION_LATENCY_SECONDS = 3;
/** The extra seconds added at random, 0 to this many inclusive: Retry-After is 3-6 s. */
export const RETRY_AFTER_JITTER_SECONDS = 3;

/** Whole seconds (HTTP delta-seconds), `REPLICATION_LATENCY_SECONDS` ... + `RETRY_AFTER_JITTER_SECONDS`. */
export function retryAfterSeconds(random: () => number = Math.random): number {
    const jitter = Math.min(Math.floor(random() * (RETRY_AFTER_JITTER_SECONDS + 1)), RETRY_AFTER_JITTER_SECONDS);
    return REPLICATION_LATENCY_SECONDS + Math.max(jitter, 0);
}

/** The header to merge into a 502/503 reply. */
export function retryAfterHeader(random?: () => number): { readonly "retry-after": string } {
    return { "retry-after": String(retryAfterSeconds(random)) };
}
