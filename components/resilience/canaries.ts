import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createAlarm } from "../shared/alerting";
import { canaryAlarmSpec } from "./canary-alarm";
import { CANARY_ARTIFACT_PREFIX, canaryPolicy } from "./canary-iam";
import { bundleFunction } from "../shared/function-bundle";
import { createPrivateBucket } from "../shared/private-bucket";
import { serviceTrustPolicy, trustPolicyJson } from "../shared/iam";
import { fitName, NAME_LIMITS, NameContext, REGION_ROLES, RegionRole } from "../shared/naming";
import { TwoRegionArgs, twoRegionHelpers } from "../shared/two-region-args";

/**
 * The current CloudWatch Synthetics runtime for Node.js custom scripts ("Runtime versions using Node.js and
 * Puppeteer", CloudWatch User Guide: Lambda runtime Node.js 22.x). The journey uses no browser, only `fetch`.
 */
export const CANARY_RUNTIME = "syn-nodejs-puppeteer-15.0";
/** The bundle's syntax level: that runtime's Node. */
export const CANARY_ESBUILD_TARGET = "node22";
/** Node.js canaries are loaded from `nodejs/node_modules/<file>.js` in their zip; the handler is `<file>.handler`. */
export const CANARY_HANDLER = "canary.handler";
/** Days Synthetics keeps run data, and the artifacts bucket its objects. */
export const CANARY_RETENTION_DAYS = 30;
/** The canaries' role name prefix: `payments-tenant-canary-<env>-<suffix>` (a shipped name: kept). */
export const CANARY_ROLE_PREFIX = "payments-tenant-canary";
/** The component's type token (the alias of its role, which moved out of it). */
const CANARIES_TYPE = "payments-dr:canaries:Canaries";

/**
 * The canaries' role, created before the regional stacks: in iam mode it is a tenant (the processors map its unique
 * id to the canary's merchant id), and that id exists only once the role does. Its inline policy is the Canaries'
 * (it needs the APIs). The role used to be the component's child: the alias keeps the shipped resource.
 */
export function createCanaryRole(
    name: string,
    a: { readonly nameContext: pulumi.Input<NameContext>; readonly accountId: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
    return new aws.iam.Role(
        `${name}-role`,
        {
            name: pulumi.output(a.nameContext).apply((c) => fitName(CANARY_ROLE_PREFIX, c, NAME_LIMITS.iamRole)),
            description: "CloudWatch Synthetics canaries: a tenant of the payments API (create, replay, read) writing only their own artifacts and logs",
            assumeRolePolicy: pulumi.output(a.accountId).apply((id) => trustPolicyJson(serviceTrustPolicy("lambda.amazonaws.com", id))),
        },
        { ...opts, aliases: [{ parent: pulumi.createUrn(name, CANARIES_TYPE) }] },
    );
}

/** The canary's merchant id: its role name without `payments-tenant-` (what it was when names made tenants). */
export function canaryTenantRoles(role: aws.iam.Role): pulumi.Output<Record<string, string>> {
    return pulumi.all([role.uniqueId, role.name]).apply(([id, roleName]) => ({ [id]: roleName.replace(/^payments-tenant-/, "") }));
}

/** Where a canary calls and from which region it runs. */
export interface CanaryTarget {
    /** `failover`, `primary` or `secondary`: part of the canary's name. */
    readonly id: string;
    readonly baseUrl: pulumi.Input<string>;
    /** The region to sign for; unset: the region of the role `GET /health` reports (the failover name leads to either). */
    readonly signingRegion?: string;
    /** The region the canary runs in. */
    readonly runsIn: RegionRole;
}

/** `keyArns`: the artifacts are SSE-KMS with each region's key. */
export interface CanariesArgs extends TwoRegionArgs {
    /** Each region's HTTP API execution ARN: the role may invoke the journey's routes on both. */
    readonly apiExecutionArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    /** Each region's alarm topic: a canary's alarm pages the topic of the region that runs it. */
    readonly topicArns: Readonly<Record<RegionRole, pulumi.Input<string>>>;
    /** A Synthetics rate expression (validated config `canarySchedule`). */
    readonly schedule: string;
    readonly targets: readonly CanaryTarget[];
    /** Dev: the artifacts buckets may be destroyed with their objects. */
    readonly forceDestroy: boolean;
    /**
     * How the canaries authenticate, as the stack's clients do: `iam` (SigV4 with their role, a tenant of its own) or
     * `jwt` (a bearer token from the identity provider, with client credentials from the named Secrets Manager secret,
     * which must exist under that name in each region that runs canaries).
     */
    readonly auth: { readonly mode: "iam" } | { readonly mode: "jwt"; readonly tokenSecretName: string };
    /** The canaries' role (`createCanaryRole`); the component gives it its policy. */
    readonly role: aws.iam.Role;
}

/**
 * CloudWatch Synthetics canaries (`canarySchedule`): each runs the journey of `functions/canary` (create a
 * transaction, replay it with the same Idempotency-Key, read it) against one target, signed with the canaries'
 * role, itself a tenant (`payments-tenant-canary-…`). Per region that runs canaries: an artifacts bucket (the
 * region's key, no public access, TLS only, objects expire) holding the code and the runs' artifacts.
 */
export class Canaries extends pulumi.ComponentResource {
    /** Canary names by target id. */
    public readonly names: Record<string, pulumi.Output<string>>;
    /** Each canary's paging alarm (components/resilience/canary-alarm.ts), by target id. */
    public readonly alarmNames: Record<string, pulumi.Output<string>>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: CanariesArgs, opts?: pulumi.ComponentResourceOptions) {
        // Shipped as payments-dr:canaries:Canaries (issue 22 moved it): the alias keeps existing stacks' resources.
        super("payments-dr:resilience:Canaries", name, {}, { ...opts, aliases: [{ type: "payments-dr:canaries:Canaries" }, ...(opts?.aliases ?? [])] });
        const { nameOf, inRegion } = twoRegionHelpers(this, args);
        const usedRoles = REGION_ROLES.filter((role) => args.targets.some((t) => t.runsIn === role));
        const bundle = bundleFunction("canary", CANARY_ESBUILD_TARGET);
        const codeKey = `code/canary-${bundle.sha256.slice(0, 16)}.zip`;

        const buckets = {} as Record<RegionRole, aws.s3.Bucket>;
        const code = {} as Record<RegionRole, aws.s3.BucketObjectv2>;
        for (const role of usedRoles) {
            const { bucket, encryption } = createPrivateBucket(
                `${name}-${role}-artifacts`,
                {
                    bucketName: nameOf(`canary-artifacts-${role}`, NAME_LIMITS.s3Bucket),
                    keyArn: args.keyArns[role],
                    forceDestroy: args.forceDestroy,
                    expiration: { ruleId: "expire-canary-artifacts", days: CANARY_RETENTION_DAYS },
                },
                inRegion(role),
            );
            buckets[role] = bucket;
            // The code, zipped by Pulumi from the bundle: Synthetics reads it from S3 when the canary is created or updated.
            code[role] = new aws.s3.BucketObjectv2(
                `${name}-${role}-code`,
                {
                    bucket: bucket.id,
                    key: codeKey,
                    source: new pulumi.asset.AssetArchive({ "nodejs/node_modules/canary.js": new pulumi.asset.StringAsset(bundle.code) }),
                },
                inRegion(role, { dependsOn: [encryption] }),
            );
        }

        const canaryNames = Object.fromEntries(args.targets.map((t) => [t.id, nameOf(`canary-${t.id}`, 255)])) as Record<string, pulumi.Output<string>>;
        const role = args.role;
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: pulumi
                    .all([
                        args.accountId,
                        pulumi.all(usedRoles.map((r) => buckets[r].arn)),
                        pulumi.all(usedRoles.map((r) => args.keyArns[r])),
                        pulumi.all(REGION_ROLES.map((r) => args.apiExecutionArns[r])),
                        pulumi.all(args.targets.map((t) => canaryNames[t.id])),
                    ])
                    .apply(([accountId, bucketArns, keyArns, apiExecutionArns, names]) =>
                        JSON.stringify(
                            canaryPolicy({
                                accountId,
                                regions: usedRoles.map((r, i) => ({
                                    region: args.regions[r],
                                    artifactsBucketArn: bucketArns[i],
                                    keyArn: keyArns[i],
                                    canaryNames: args.targets.flatMap((t, j) => (t.runsIn === r ? [names[j]] : [])),
                                })),
                                // jwt routes take a token, not a signature: no execute-api:Invoke for a jwt stack.
                                apiExecutionArns: args.auth.mode === "iam" ? apiExecutionArns : [],
                                tokenSecretName: args.auth.mode === "jwt" ? args.auth.tokenSecretName : undefined,
                            }),
                        ),
                    ),
            },
            inRegion("primary"),
        );
        this.roleArn = role.arn;

        const alarmNames: Record<string, pulumi.Output<string>> = {};
        for (const target of args.targets) {
            const where = target.runsIn;
            // Pages in the region that runs the canary: the failover canary's alarm stays up while the primary is down.
            alarmNames[target.id] = createAlarm(
                `${name}-${target.id}-alarm`,
                canaryAlarmSpec(target.id, canaryNames[target.id], args.schedule),
                nameOf(`canary-failing-${target.id}`, NAME_LIMITS.alarm),
                args.topicArns[where],
                inRegion(where),
            ).name;
            new aws.synthetics.Canary(
                `${name}-${target.id}`,
                {
                    name: canaryNames[target.id],
                    runtimeVersion: CANARY_RUNTIME,
                    handler: CANARY_HANDLER,
                    executionRoleArn: role.arn,
                    s3Bucket: buckets[where].id,
                    // No s3Version: the bucket is not versioned; the key carries the bundle's hash, so new code is a new key.
                    s3Key: code[where].key,
                    artifactS3Location: pulumi.interpolate`s3://${buckets[where].id}/${CANARY_ARTIFACT_PREFIX}/`,
                    artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: args.keyArns[where] } },
                    schedule: { expression: args.schedule },
                    runConfig: {
                        timeoutInSeconds: 60,
                        environmentVariables: {
                            CANARY_BASE_URL: target.baseUrl,
                            ...(args.auth.mode === "jwt" ? { CANARY_AUTH: "jwt", CANARY_TOKEN_SECRET: args.auth.tokenSecretName } : {}),
                            // Without a fixed region, the canary signs for the region of the role /health reports.
                            ...(target.signingRegion ? { CANARY_SIGNING_REGION: target.signingRegion } : { CANARY_REGIONS: JSON.stringify(args.regions) }),
                        },
                    },
                    successRetentionPeriod: CANARY_RETENTION_DAYS,
                    failureRetentionPeriod: CANARY_RETENTION_DAYS,
                    startCanary: true,
                    // Deleting a canary also deletes the Lambda function Synthetics created for it.
                    deleteLambda: true,
                },
                inRegion(where, { dependsOn: [rolePolicy] }),
            );
        }
        this.names = canaryNames;
        this.alarmNames = alarmNames;
        this.registerOutputs({ names: this.names, roleArn: this.roleArn, alarmNames: this.alarmNames });
    }
}
