/** Limits of the AWS services the components configure: what args are checked against before anything registers. */

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Route 53 health checks probe every 10 or every 30 seconds; nothing else. */
export const HEALTH_CHECK_INTERVALS = [10, 30] as const;

/** Lambda keeps this many concurrent executions unreserved in every account and region. */
export const LAMBDA_UNRESERVED_MINIMUM = 100;
/** Lambda's memory limits (MB); below 512 the handler's p99 misses the sub-second target. */
export const LAMBDA_MEMORY_MIN_MB = 512;
export const LAMBDA_MEMORY_MAX_MB = 10240;
/** API Gateway HTTP APIs stop waiting for an integration after 30 seconds. */
export const HTTP_API_INTEGRATION_TIMEOUT_S = 30;
