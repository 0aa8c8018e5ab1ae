/** What the health endpoint keeps for itself in each region (pure: the capacity maths and the config read it too). */

/**
 * Concurrency reserved for the health function in each region: payment traffic can never take it away, and
 * since each container probes at most once per cache period (5 s), it also bounds the probe writes (at most
 * 5 items and 5 objects per 5 s per region). Route 53's checkers send a few requests per second, mostly
 * answered from the cache in a millisecond.
 */
export const HEALTH_RESERVED_CONCURRENCY = 5;
/** The health route's own stage throttle: room for every Route 53 checker, nothing taken from payments. */
export const HEALTH_ROUTE_RATE_LIMIT = 50;
export const HEALTH_ROUTE_BURST_LIMIT = 100;
