/**
 * Physical names. Every name carries the environment label and the stack's random suffix (so a destroyed
 * stack can be re-created at once despite AWS's delayed deletions: S3 bucket names, DynamoDB replicas that
 * acted as a source for 24 hours, KMS keys pending deletion) and, where it is regional, the region's role.
 * Each function keeps the name within its service's length and character rules by shortening the
 * environment label, never the role or the random suffix that make it unique.
 */

export const REGION_ROLES = ["primary", "secondary"] as const;
export type RegionRole = (typeof REGION_ROLES)[number];

/** The other region of the pair. */
export const otherRole = (role: RegionRole): RegionRole => (role === "primary" ? "secondary" : "primary");

/** Length limits of the services whose names we set. */
export const NAME_LIMITS = {
    s3Bucket: 63,
    iamRole: 64,
    lambdaFunction: 64,
    dynamodbTable: 255,
    sqsQueue: 80,
    snsTopic: 256,
    kmsAlias: 256,
    alarm: 255,
    dashboard: 255,
    httpApi: 128,
    logGroup: 512,
} as const;

/** What the naming functions need: the environment label (e.g. `dev`, `dev-alice`) and the random suffix. */
export interface NameContext {
    readonly envLabel: string;
    readonly suffix: string;
}

/** Lower-case letters, digits and hyphens: valid in every service we name (S3 is the strictest). */
function sanitize(part: string): string {
    return part
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-|-$/g, "");
}

/**
 * `<prefix>-<env>-<suffix>`, with `env` shortened as needed to fit `limit`. Throws if even an empty
 * environment label cannot fit: that is a programming error in the prefix, not a config problem.
 */
export function fitName(prefix: string, ctx: NameContext, limit: number): string {
    const head = sanitize(prefix);
    const suffix = sanitize(ctx.suffix);
    const env = sanitize(ctx.envLabel);
    const fixed = head.length + suffix.length + 2;
    const room = limit - fixed - 1;
    if (room < 1) {
        throw new Error(`name prefix "${prefix}" leaves no room for the environment within ${limit} characters`);
    }
    const shortEnv = env.slice(0, room).replace(/-+$/, "");
    // Config validation never lets the environment be empty; stay valid even if a caller does.
    return shortEnv ? `${head}-${shortEnv}-${suffix}` : `${head}-${suffix}`;
}

export const names = {
    /** `transactions-table-<env>-<suffix>`: one name for the global table and all its replicas. */
    table: (ctx: NameContext) => fitName("transactions-table", ctx, NAME_LIMITS.dynamodbTable),
    /** `documents-<role>-<env>-<suffix>`: S3 names are global and lower-case only. */
    documentsBucket: (ctx: NameContext, role: RegionRole) => fitName(`documents-${role}`, ctx, NAME_LIMITS.s3Bucket),
    /** `transaction-processor-<role>-<env>-<suffix>`. */
    processorFunction: (ctx: NameContext, role: RegionRole) => fitName(`transaction-processor-${role}`, ctx, NAME_LIMITS.lambdaFunction),
    /** The processor's execution role; IAM role names are account-global, so the role is in the name. */
    processorRole: (ctx: NameContext, role: RegionRole) => fitName(`txn-processor-${role}`, ctx, NAME_LIMITS.iamRole),
    /** `payments-health-<role>-<env>-<suffix>`: the function behind Route 53's probe route (`GET /health/<token>`). */
    healthFunction: (ctx: NameContext, role: RegionRole) => fitName(`payments-health-${role}`, ctx, NAME_LIMITS.lambdaFunction),
    /** The health function's own execution role: it may write the health item and probe object, nothing else. */
    healthRole: (ctx: NameContext, role: RegionRole) => fitName(`payments-health-${role}`, ctx, NAME_LIMITS.iamRole),
    /** `payments-health-public-<role>-<env>-<suffix>`: the function behind the open `GET /health` (Route 53 probes the other one). */
    healthPublicFunction: (ctx: NameContext, role: RegionRole) => fitName(`payments-health-public-${role}`, ctx, NAME_LIMITS.lambdaFunction),
    healthPublicRole: (ctx: NameContext, role: RegionRole) => fitName(`payments-health-public-${role}`, ctx, NAME_LIMITS.iamRole),
    /** `receipt-finisher-<role>-<env>-<suffix>`: completes PENDING receipts from the table's stream. */
    finisherFunction: (ctx: NameContext, role: RegionRole) => fitName(`receipt-finisher-${role}`, ctx, NAME_LIMITS.lambdaFunction),
    finisherRole: (ctx: NameContext, role: RegionRole) => fitName(`receipt-finisher-${role}`, ctx, NAME_LIMITS.iamRole),
    processorDlq: (ctx: NameContext, role: RegionRole) => fitName(`transaction-processor-dlq-${role}`, ctx, NAME_LIMITS.sqsQueue),
    /**
     * `alias/transaction-encryption-<role>-<env>`: operators know it by this exact name; KMS releases alias
     * names at once on deletion, so it needs no random suffix.
     */
    kmsAlias: (ctx: NameContext, role: RegionRole) => `alias/transaction-encryption-${role}-${sanitize(ctx.envLabel)}`.slice(0, NAME_LIMITS.kmsAlias),
    /** `dr-alerts-<role>-<env>-<suffix>`; the topic in us-east-1 for Route 53 alarms uses role `route53`. */
    alertsTopic: (ctx: NameContext, role: RegionRole | "route53") => fitName(`dr-alerts-${role}`, ctx, NAME_LIMITS.snsTopic),
    httpApi: (ctx: NameContext, role: RegionRole) => fitName(`transactions-api-${role}`, ctx, NAME_LIMITS.httpApi),
    /** Lambda writes to `/aws/lambda/<function name>`; we create that group ourselves to own its retention and key. */
    functionLogGroup: (functionName: string) => `/aws/lambda/${functionName}`,
    accessLogGroup: (ctx: NameContext, role: RegionRole) => `/aws/apigateway/${fitName(`transactions-api-${role}`, ctx, NAME_LIMITS.httpApi)}/access`,
    /** `<what>-<role>-<env>-<suffix>`, e.g. `lambda-errors-primary-dev-k3x9qa`. */
    alarm: (ctx: NameContext, what: string, role?: RegionRole) => fitName(role ? `${what}-${role}` : what, ctx, NAME_LIMITS.alarm),
    dashboard: (ctx: NameContext) => fitName("payments-dr", ctx, NAME_LIMITS.dashboard),
    replicationRole: (ctx: NameContext) => fitName("documents-replication", ctx, NAME_LIMITS.iamRole),
    operatorRole: (ctx: NameContext) => fitName("dr-operator", ctx, NAME_LIMITS.iamRole),
};

/** S3 bucket names: 3-63 characters, lower-case letters, digits, hyphens, starting and ending alphanumeric. */
export const S3_BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/** IAM role names: up to 64 of letters, digits and `+=,.@_-`. */
export const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Lambda function names: up to 64 of letters, digits, hyphens and underscores. */
export const LAMBDA_FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
