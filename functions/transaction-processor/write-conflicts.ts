import { errorName } from "./aws-errors";

/**
 * Multi-Region strong consistency: DynamoDB refuses a write with `ReplicatedWriteConflictException` when another
 * Region is changing the same item at the same moment (here: the same tenant's Idempotency-Key in both Regions).
 * The operation is retried a few times after a short random pause (the SDK has already retried it, as it is
 * marked retryable); if the conflict persists, the route answers 503 with Retry-After.
 */

/** Attempts of one table operation, including the first. */
export const WRITE_CONFLICT_ATTEMPTS = 3;
/** Pause before retry n (1-based): a random 20-80 ms times n, so the two Regions' writers fall out of step. */
const BASE_PAUSE_MS = 20;
const PAUSE_SPREAD_MS = 60;

export function isReplicatedWriteConflict(error: unknown): boolean {
    return errorName(error) === "ReplicatedWriteConflictException";
}

export interface ConflictRetryOptions {
    readonly sleep?: (ms: number) => Promise<void>;
    readonly random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `operation`, retrying it on a replicated write conflict up to `WRITE_CONFLICT_ATTEMPTS` times in all. */
export async function retryWriteConflicts<T>(operation: () => Promise<T>, options: ConflictRetryOptions = {}): Promise<T> {
    const sleep = options.sleep ?? realSleep;
    const random = options.random ?? Math.random;
    for (let attempt = 1; ; attempt++) {
        try {
            return await operation();
        } catch (error) {
            if (!isReplicatedWriteConflict(error) || attempt >= WRITE_CONFLICT_ATTEMPTS) {
                throw error;
            }
            await sleep(Math.round((BASE_PAUSE_MS + random() * PAUSE_SPREAD_MS) * attempt));
        }
    }
}
