/**
 * The canaries' role: a tenant of the API (`payments-tenant-canary-…`) whose policy allows what CloudWatch Synthetics
 * needs ("Required roles and permissions for canaries", CloudWatch User Guide: the KMS variant) on this stack's
 * artifacts buckets and canary log groups, and `execute-api:Invoke` on exactly the routes the journey calls.
 * Pure: the component and the tests share it.
 */
import { partitionOf } from "../shared/arn-partition";
import { policyDocument, PolicyDocument, PolicyStatement } from "../shared/iam";

/** CloudWatch Synthetics publishes its run metrics (SuccessPercent, Duration) in this namespace. */
export const SYNTHETICS_NAMESPACE = "CloudWatchSynthetics";
/** Prefix of the canaries' artifacts in their bucket (screens, logs, HAR files of each run). */
export const CANARY_ARTIFACT_PREFIX = "canary";

/**
 * Synthetics runs a canary as the Lambda function `cwsyn-<canary name>-<uuid>`; a function name has at most 64
 * characters, so at most 21 of the canary's name fit (64 - "cwsyn-" - "-" - 36). Whether Synthetics shortens a longer
 * name by keeping its start is not documented: the log permission names only that start, which holds either way.
 */
export const CANARY_FUNCTION_NAME_ROOM = 64 - "cwsyn-".length - 1 - 36;

/** The log groups of a canary's runs: `/aws/lambda/cwsyn-<the name's first 21 characters>*`. */
export const canaryLogGroupPattern = (canaryName: string) => `/aws/lambda/cwsyn-${canaryName.slice(0, CANARY_FUNCTION_NAME_ROOM)}*`;

/** The journey's routes, as execute-api resource paths (`<api execution ARN>/<stage>/<METHOD>/<path>`). */
export function journeyRouteArns(apiExecutionArn: string): string[] {
    return [`${apiExecutionArn}/*/POST/transactions`, `${apiExecutionArn}/*/GET/transactions/*`];
}

export interface CanaryRegionAccess {
    readonly region: string;
    readonly artifactsBucketArn: string;
    readonly keyArn: string;
    /** The canaries that run in this region: their Lambda log groups are `/aws/lambda/cwsyn-<name>-<id>`. */
    readonly canaryNames: readonly string[];
}

/** `regions`: where canaries run; `apiExecutionArns`: every API they call (a canary may call the other region's). */
export function canaryPolicy(a: {
    readonly accountId: string;
    readonly regions: readonly CanaryRegionAccess[];
    readonly apiExecutionArns: readonly string[];
    /** jwt stacks: the secret (same name in each region) with the canaries' OAuth client credentials. */
    readonly tokenSecretName?: string;
}): PolicyDocument {
    const each = <T>(f: (r: CanaryRegionAccess) => T[]) => a.regions.flatMap(f);
    return policyDocument(
        {
            Sid: "WriteArtifacts",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:GetObject"],
            Resource: each((r) => [`${r.artifactsBucketArn}/${CANARY_ARTIFACT_PREFIX}/*`]),
        },
        { Sid: "LocateArtifactsBuckets", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: each((r) => [r.artifactsBucketArn]) },
        // Artifacts are SSE-KMS with the region's key, through S3 only.
        ...a.regions.map((r) => ({
            Sid: `EncryptArtifacts${r.region.replace(/-/g, "")}`,
            Effect: "Allow" as const,
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: r.keyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${r.region}.amazonaws.com` } },
        })),
        {
            Sid: "WriteCanaryLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: each((r) =>
                r.canaryNames.map(
                    (name) => `arn:${partitionOf(r.artifactsBucketArn)}:logs:${r.region}:${a.accountId}:log-group:${canaryLogGroupPattern(name)}`,
                ),
            ),
        },
        // ListAllMyBuckets and PutMetricData take no resource (the pack's WILDCARD_RESOURCE_ACTIONS); the namespace
        // condition keeps the metrics to Synthetics' own.
        { Sid: "FindArtifactsBuckets", Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" },
        {
            Sid: "PublishRunMetrics",
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": SYNTHETICS_NAMESPACE } },
        },
        ...(a.apiExecutionArns.length === 0
            ? []
            : [{ Sid: "CallTheJourney", Effect: "Allow" as const, Action: "execute-api:Invoke", Resource: a.apiExecutionArns.flatMap(journeyRouteArns) }]),
        ...(a.tokenSecretName === undefined ? [] : tokenSecretStatements(a.tokenSecretName, a.accountId, a.regions)),
    );
}

/**
 * Read the client credentials, in each region that runs canaries, and nothing else of Secrets Manager: the secret's
 * ARN ends in `-` and six random characters (Secrets Manager User Guide, "Secret ARN"). A secret on the AWS managed
 * key needs nothing more; one on the stack's key, that key through Secrets Manager of its region.
 */
function tokenSecretStatements(secretName: string, accountId: string, regions: readonly CanaryRegionAccess[]): PolicyStatement[] {
    return [
        {
            Sid: "ReadTokenClientCredentials",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: regions.map((r) => `arn:${partitionOf(r.keyArn)}:secretsmanager:${r.region}:${accountId}:secret:${secretName}-??????`),
        },
        ...regions.map((r) => ({
            Sid: `DecryptTokenSecret${r.region.replace(/-/g, "")}`,
            Effect: "Allow" as const,
            Action: "kms:Decrypt",
            Resource: r.keyArn,
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${r.region}.amazonaws.com` } },
        })),
    ];
}
