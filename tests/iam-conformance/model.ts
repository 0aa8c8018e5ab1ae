import { RecordedResource, Synthesis } from "../../scripts/synth/synthesize";

/** Who runs the code that sends a command: a function's role (per region) or the DR operator. */
export type PrincipalKind = "processor" | "health" | "finisher" | "migrator" | "projector" | "canary" | "takeover-switch" | "operator";
export type Role = "primary" | "secondary";

/** What the evaluation needs of a synthesized stack: roles with their policies, the stores with theirs. */
export interface StackModel {
    readonly name: string;
    readonly accountId: string;
    readonly regions: Readonly<Record<Role, string>>;
    readonly tableName: string;
    /** Identity policies of a principal, by the role's name. */
    readonly identityPolicies: (roleName: string) => { name: string; policy: unknown }[];
    readonly roles: (kind: PrincipalKind, role: Role) => RoleModel[];
    readonly keyArn: Record<Role, string>;
    readonly keyPolicy: (keyArn: string) => unknown;
    readonly bucketArn: Record<Role, string>;
    readonly bucketPolicy: (bucketArn: string) => unknown;
    readonly takeoverAlarmArn: string;
    /** The takeover authority's table (standby region) and its resource policy (components/takeover/authority-store.ts). */
    readonly takeoverAuthority: { readonly tableArn: string; readonly resourcePolicy: unknown };
    readonly healthCheckId: string;
    readonly zoneId: string;
    readonly masterSecretArn?: string;
    readonly canarySecretName?: string;
    readonly resources: readonly RecordedResource[];
}

export interface RoleModel {
    readonly roleName: string;
    readonly roleArn: string;
    /** The function run with this role, when it is a function's. */
    readonly fn?: RecordedResource;
}

const lastSegment = (arn: string) => arn.split("/").pop()!;

/** Logical names of the functions of each kind (components/*: `${role}-processor`, `ledger-${role}-projector-function`, ...). */
function functionNames(kind: PrincipalKind, role: Role): RegExp | undefined {
    switch (kind) {
        case "processor":
        case "finisher":
            return new RegExp(`^${role}-${kind}$`);
        case "health":
            // Route 53's probe function and the open /health one run the same code with roles of their own.
            return new RegExp(`^${role}-health(-public)?$`);
        case "migrator":
            return role === "primary" ? /^ledger-migration-function$/ : undefined;
        case "projector":
            return new RegExp(`^ledger-${role}-projector-function$`);
        case "takeover-switch":
            // Every switch function may run the same code (set and clear, in either region).
            return /^global-region-switch-(set|clear)-(primary|secondary)$/;
        default:
            return undefined;
    }
}

export function stackModel(s: Synthesis): StackModel {
    const ofType = (type: string) => s.resources.filter((r) => r.type === type);
    const one = (type: string, name: string) => {
        const found = ofType(type).filter((r) => r.name === name);
        if (found.length !== 1) {
            throw new Error(`${s.stack}: expected one ${type} ${name}, found ${found.length}`);
        }
        return found[0];
    };
    const keys = { primary: one("aws:kms/key:Key", "primary-key"), secondary: one("aws:kms/key:Key", "secondary-key") };
    const buckets = { primary: one("aws:s3/bucket:Bucket", "primary-documents"), secondary: one("aws:s3/bucket:Bucket", "secondary-documents") };
    const regions = { primary: keys.primary.region!, secondary: keys.secondary.region! };
    const roleByName = new Map(ofType("aws:iam/role:Role").map((r) => [String(r.state.name ?? r.inputs.name), r]));
    const managedPolicies = new Map(ofType("aws:iam/policy:Policy").map((p) => [String(p.state.arn), p]));
    const signal = s.outputs.takeoverSignal as { alarmArn: string };
    const secret = ofType("aws:secretsmanager/secret:Secret").find((r) => r.name === "ledger-database-master-secret");
    const canary = ofType("aws:synthetics/canary:Canary")[0];

    const identityPolicies = (roleName: string) => [
        ...ofType("aws:iam/rolePolicy:RolePolicy")
            .filter((p) => p.inputs.role === roleName)
            .map((p) => ({ name: p.name, policy: JSON.parse(p.inputs.policy) })),
        ...ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .filter((a) => a.inputs.role === roleName)
            .map((a) => {
                const managed = managedPolicies.get(a.inputs.policyArn);
                if (!managed) {
                    throw new Error(`${s.stack}: role ${roleName} has ${a.inputs.policyArn} attached, which the offline evaluation cannot read`);
                }
                return { name: managed.name, policy: JSON.parse(managed.inputs.policy) };
            }),
    ];

    const roles = (kind: PrincipalKind, role: Role): RoleModel[] => {
        if (kind === "operator") {
            const operator = ofType("aws:iam/role:Role").find((r) => r.name === "global-operator-role")!;
            return [{ roleName: operator.inputs.name, roleArn: operator.state.arn }];
        }
        if (kind === "canary") {
            return canary ? [{ roleName: lastSegment(canary.inputs.executionRoleArn), roleArn: canary.inputs.executionRoleArn }] : [];
        }
        const pattern = functionNames(kind, role);
        return ofType("aws:lambda/function:Function")
            .filter((f) => pattern?.test(f.name))
            .map((fn) => ({ roleName: lastSegment(fn.inputs.role), roleArn: fn.inputs.role, fn }));
    };

    const policyOfResource = (type: string, matches: (r: RecordedResource) => boolean) => {
        const found = ofType(type).find(matches);
        return found ? JSON.parse(found.inputs.policy) : undefined;
    };
    void roleByName;
    return {
        name: s.stack,
        accountId: String(keys.primary.state.arn).split(":")[4],
        regions,
        tableName: ofType("aws:dynamodb/table:Table")[0].inputs.name,
        identityPolicies,
        roles,
        keyArn: { primary: keys.primary.state.arn, secondary: keys.secondary.state.arn },
        keyPolicy: (keyArn) => JSON.parse([keys.primary, keys.secondary].find((k) => k.state.arn === keyArn)!.inputs.policy),
        bucketArn: { primary: buckets.primary.state.arn, secondary: buckets.secondary.state.arn },
        bucketPolicy: (bucketArn) => {
            const bucket = [buckets.primary, buckets.secondary].find((b) => b.state.arn === bucketArn)!;
            return policyOfResource("aws:s3/bucketPolicy:BucketPolicy", (p) => p.inputs.bucket === bucket.id || p.inputs.bucket === bucket.inputs.bucket);
        },
        takeoverAlarmArn: signal.alarmArn,
        takeoverAuthority: {
            tableArn: ofType("aws:dynamodb/table:Table").find((t) => t.name === "takeover-authority-table")!.state.arn,
            resourcePolicy: policyOfResource("aws:dynamodb/resourcePolicy:ResourcePolicy", (p) => p.name === "takeover-authority-policy"),
        },
        healthCheckId: String(s.outputs.primaryHealthCheckId),
        zoneId: String(s.outputs.hostedZoneId),
        masterSecretArn: secret?.state.arn,
        canarySecretName: canary ? canarySecret(s) : undefined,
        resources: s.resources,
    };
}

/** The canaries' token secret name, when the stack reads one (jwt with canaries). */
function canarySecret(s: Synthesis): string | undefined {
    const policy = s.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "canaries-policy");
    const statement = policy
        ? (JSON.parse(policy.inputs.policy).Statement as { Sid?: string; Resource: string[] }[]).find((st) => st.Sid === "ReadTokenClientCredentials")
        : undefined;
    return statement ? /secret:(.+)-\?{6}$/.exec(statement.Resource[0])?.[1] : undefined;
}
