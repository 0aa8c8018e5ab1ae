/**
 * @payments-dr/client: the payments-dr API from TypeScript, with both regions known, idempotent retries and
 * failover in seconds. README, "Using the API from code".
 */
export { PaymentsClient, type CallResult, type CreateResult, type CreateTransactionInput } from "./client";
export { type Transaction } from "./transaction";
export {
    type Attempt,
    type ApiErrorBody,
    AuthError,
    ClientConfigError,
    ConflictError,
    GaveUpError,
    type GaveUpReason,
    NotFoundError,
    PaymentsApiError,
    ValidationError,
} from "./errors";
export { type AuthInput, type AwsCredentials, type EndpointInput, type EndpointsInput, type PaymentsClientOptions, regionSwitchBoundMs } from "./options";
export { backoffMs, retryAfterMs } from "./backoff";
