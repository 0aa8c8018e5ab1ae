import * as path from "path";
import { PrincipalKind, Role, RoleModel, StackModel } from "./model";

/** One IAM authorization AWS makes for a call: who, which action on which resource, with which context. */
export interface IamRequest {
    readonly kind: PrincipalKind;
    readonly role: Role;
    readonly action: string;
    readonly resource: string;
    readonly context: Readonly<Record<string, string | string[]>>;
    /** The resource's own policy (key, bucket, queue), when it has one. */
    readonly resourcePolicy?: unknown;
    /** Why the call is made: the command and where it came from, or what Lambda does for the function. */
    readonly why: string;
    /** Only this role makes it (what Lambda does with one function's role); otherwise every role of `kind` in `role`'s region. */
    readonly roleName?: string;
}

/** A recorded command, reduced to what decides its authorization. */
export interface SentCommand {
    readonly kind: PrincipalKind;
    readonly clientRegion: string;
    readonly clientName: string;
    readonly commandName: string;
    readonly input: Record<string, unknown>;
    readonly site: string;
}

const ROOT = path.join(__dirname, "..", "..");

/**
 * The code that sends a command, by the outermost project frame of its stack: a function's handler (shared
 * modules such as functions/transaction-processor/transactions.ts run under the finisher's role when the finisher
 * calls them) or a DR script. Test code, the Pulumi program and other scripts are nobody's role: undefined.
 */
const ENTRY_POINTS: readonly [RegExp, PrincipalKind][] = [
    [/^functions\/transaction-processor\//, "processor"],
    [/^functions\/health\//, "health"],
    [/^functions\/receipt-finisher\//, "finisher"],
    [/^functions\/ledger-migrator\//, "migrator"],
    [/^functions\/ledger-projector\//, "projector"],
    [/^functions\/canary\//, "canary"],
    [/^functions\/takeover-switch\//, "takeover-switch"],
    [/^scripts\/(dr\/|drill\/|failover\.ts|failback\.ts|reconcile\.ts|drill-status\.ts|ledger-check\.ts)/, "operator"],
];

export function principalOf(stack: string | undefined): { kind: PrincipalKind; site: string } | undefined {
    const frames = (stack ?? "").split("\n").slice(1);
    let found: { kind: PrincipalKind; site: string } | undefined;
    for (const frame of frames) {
        const file = /\(?((?:\/|[A-Za-z]:\\)[^():]+\.ts):(\d+)/.exec(frame);
        if (!file || file[1].includes("node_modules")) {
            continue;
        }
        const relative = path.relative(ROOT, file[1]).split(path.sep).join("/");
        const entry = ENTRY_POINTS.find(([pattern]) => pattern.test(relative));
        if (entry) {
            found = { kind: entry[1], site: `${relative}:${file[2]}` };
        }
    }
    return found;
}

/** lib-dynamodb's commands and the low-level ones they stand for; every other command is named after its action. */
const DOCUMENT_COMMANDS: Readonly<Record<string, string>> = {
    GetCommand: "GetItem",
    PutCommand: "PutItem",
    UpdateCommand: "UpdateItem",
    DeleteCommand: "DeleteItem",
    QueryCommand: "Query",
    ScanCommand: "Scan",
    BatchGetCommand: "BatchGetItem",
    BatchWriteCommand: "BatchWriteItem",
    TransactGetCommand: "TransactGetItems",
    TransactWriteCommand: "TransactWriteItems",
};
/** S3 operations authorised by an action of another name (S3 API reference, each operation's "Permissions"). */
const S3_ACTIONS: Readonly<Record<string, string[]>> = {
    HeadObjectCommand: ["s3:GetObject", "s3:ListBucket"],
    ListObjectsV2Command: ["s3:ListBucket"],
    GetBucketReplicationCommand: ["s3:GetReplicationConfiguration"],
};
const SERVICE_OF_CLIENT: Readonly<Record<string, string>> = {
    DynamoDBClient: "dynamodb",
    DynamoDBDocumentClient: "dynamodb",
    S3Client: "s3",
    CloudWatchClient: "cloudwatch",
    Route53Client: "route53",
    SecretsManagerClient: "secretsmanager",
    SQSClient: "sqs",
};

const partitionKey = (item: unknown): string | undefined => {
    const pk = (item as Record<string, unknown> | undefined)?.pk;
    return typeof pk === "string" ? pk : typeof (pk as { S?: string })?.S === "string" ? (pk as { S: string }).S : undefined;
};

/** The IAM requests behind one command, and those AWS makes with the caller's identity on its behalf (KMS). */
export function requestsOf(cmd: SentCommand, m: StackModel): Omit<IamRequest, "kind">[] {
    const service = SERVICE_OF_CLIENT[cmd.clientName];
    if (!service) {
        throw new Error(`no IAM mapping for ${cmd.clientName} (${cmd.commandName} from ${cmd.site}): add it to tests/iam-conformance/requests.ts`);
    }
    const regionRole: Role = cmd.clientRegion === m.regions.secondary ? "secondary" : "primary";
    const region = m.regions[regionRole];
    // The processor's fence reads the takeover alarm in the standby region: that is the primary's processor.
    const role: Role = cmd.kind === "processor" && cmd.commandName === "DescribeAlarmsCommand" ? "primary" : regionRole;
    const why = `${cmd.commandName} from ${cmd.site}`;
    const tls = { "aws:SecureTransport": "true" };
    const viaKms = (via: string, action: string, extra: Record<string, string> = {}) => ({
        role,
        action,
        resource: m.keyArn[regionRole],
        context: { "kms:ViaService": `${via}.${region}.amazonaws.com`, "kms:CallerAccount": m.accountId, ...extra },
        resourcePolicy: m.keyPolicy(m.keyArn[regionRole]),
        why: `${why} (${via} uses the key as the caller)`,
    });
    const input = cmd.input;
    switch (service) {
        case "dynamodb": {
            const name = DOCUMENT_COMMANDS[cmd.commandName] ?? cmd.commandName.replace(/Command$/, "");
            if (String(input.TableName ?? "").startsWith("takeover-authority")) {
                // The takeover authority's table, in the standby region, under its own resource policy; the fence that
                // reads it runs in the primary's processor and finisher (contracts/takeover-authority.ts).
                const reader: Role = cmd.kind === "processor" || cmd.kind === "finisher" ? "primary" : role;
                const standby = m.regions.secondary;
                return [
                    {
                        role: reader,
                        action: `dynamodb:${name}`,
                        resource: m.takeoverAuthority.tableArn,
                        context: {},
                        resourcePolicy: m.takeoverAuthority.resourcePolicy,
                        why,
                    },
                    {
                        role: reader,
                        action: "kms:Decrypt",
                        resource: m.keyArn.secondary,
                        context: { "kms:ViaService": `dynamodb.${standby}.amazonaws.com`, "kms:CallerAccount": m.accountId },
                        resourcePolicy: m.keyPolicy(m.keyArn.secondary),
                        why: `${why} (dynamodb uses the key as the caller)`,
                    },
                ];
            }
            const table = `arn:aws:dynamodb:${region}:${m.accountId}:table/${m.tableName}`;
            const resource = input.IndexName ? `${table}/index/${String(input.IndexName)}` : table;
            const leading = partitionKey(input.Key ?? input.Item);
            const context: Record<string, string | string[]> = leading === undefined ? {} : { "dynamodb:LeadingKeys": [leading] };
            const data = name !== "DescribeTable";
            // DynamoDB decrypts the table key as the caller for item reads and writes (encryption.howitworks).
            return [{ role, action: `dynamodb:${name}`, resource, context, why }, ...(data ? [viaKms("dynamodb", "kms:Decrypt")] : [])];
        }
        case "s3": {
            const bucket = m.bucketArn[regionRole];
            const objectArn = `${bucket}/${String(input.Key ?? "")}`;
            const actions = S3_ACTIONS[cmd.commandName] ?? [`s3:${cmd.commandName.replace(/Command$/, "")}`];
            const context = { ...tls, "s3:TlsVersion": "1.2" };
            const s3 = actions.map((action) => ({
                role,
                action,
                resource: action === "s3:ListBucket" || action === "s3:GetReplicationConfiguration" ? bucket : objectArn,
                context,
                resourcePolicy: m.bucketPolicy(bucket),
                why,
            }));
            // SSE-KMS: S3 generates or decrypts the data key with the caller's permission. The encryption context
            // (`kms:EncryptionContext:aws:s3:arn`) is not passed: iam-simulate 0.1.173 reads variable condition keys
            // only in the `prefix/name` form and ignores it, so a statement conditioned on it never matches here (the
            // check errs towards a denial, never towards an allow).
            const kms =
                cmd.commandName === "PutObjectCommand"
                    ? [viaKms("s3", "kms:GenerateDataKey")]
                    : cmd.commandName === "GetObjectCommand"
                      ? [viaKms("s3", "kms:Decrypt")]
                      : [];
            return [...s3, ...kms];
        }
        case "cloudwatch": {
            const action = `cloudwatch:${cmd.commandName.replace(/Command$/, "")}`;
            if (action === "cloudwatch:DescribeAlarms") {
                return [{ role, action, resource: m.takeoverAlarmArn, context: {}, why }];
            }
            const context: Record<string, string> = input.Namespace ? { "cloudwatch:namespace": String(input.Namespace) } : {};
            return [{ role, action, resource: "*", context, why }];
        }
        case "route53": {
            const action = `route53:${cmd.commandName.replace(/Command$/, "")}`;
            const resource = /HealthCheck/.test(action)
                ? `arn:aws:route53:::healthcheck/${m.healthCheckId}`
                : action === "route53:ListResourceRecordSets"
                  ? `arn:aws:route53:::hostedzone/${m.zoneId}`
                  : "*";
            return [{ role, action, resource, context: {}, why }];
        }
        case "secretsmanager": {
            const secretArn =
                cmd.kind === "migrator" ? m.masterSecretArn : `arn:aws:secretsmanager:${region}:${m.accountId}:secret:${m.canarySecretName}-AbCdEf`;
            if (!secretArn) {
                return [];
            }
            return [{ role, action: "secretsmanager:GetSecretValue", resource: secretArn, context: {}, why }, viaKms("secretsmanager", "kms:Decrypt")];
        }
        default:
            throw new Error(`no IAM mapping for ${service}:${cmd.commandName} (${cmd.site})`);
    }
}

/**
 * What Lambda itself does with a function's role, from the synthesized function: write its logs, send traces,
 * read its event sources' streams, deliver failed batches to the on-failure queue (and the queue's key), attach
 * to its VPC. https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
 */
export function lambdaRequests(kind: PrincipalKind, role: Role, r: RoleModel, m: StackModel): IamRequest[] {
    const fn = r.fn;
    if (!fn) {
        return [];
    }
    const region = fn.region!;
    const base = { kind, role, roleName: r.roleName };
    const out: IamRequest[] = [];
    const logGroup = m.resources.find((x) => x.type === "aws:cloudwatch/logGroup:LogGroup" && x.inputs.name === fn.inputs.loggingConfig?.logGroup);
    if (logGroup) {
        const stream = `${logGroup.state.arn}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`;
        for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
            out.push({ ...base, action, resource: stream, context: {}, why: `Lambda writes ${fn.inputs.name}'s logs` });
        }
    }
    if (fn.inputs.tracingConfig?.mode === "Active") {
        for (const action of ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]) {
            out.push({ ...base, action, resource: "*", context: {}, why: `${fn.inputs.name} traces actively` });
        }
    }
    const key = (keyArn: string, via: string, action: string) => ({
        ...base,
        action,
        resource: keyArn,
        context: { "kms:ViaService": `${via}.${region}.amazonaws.com`, "kms:CallerAccount": m.accountId },
        resourcePolicy: m.keyPolicy(keyArn),
    });
    const regionKey = m.keyArn[m.regions.secondary === region ? "secondary" : "primary"];
    for (const mapping of m.resources.filter((x) => x.type === "aws:lambda/eventSourceMapping:EventSourceMapping" && x.inputs.functionName === fn.state.arn)) {
        const stream = String(mapping.inputs.eventSourceArn);
        const why = `Lambda polls ${stream.split("/").slice(-3).join("/")} for ${fn.inputs.name}`;
        for (const action of ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]) {
            out.push({ ...base, action, resource: stream, context: {}, why });
        }
        out.push({ ...base, action: "dynamodb:ListStreams", resource: "*", context: {}, why });
        // Stream records of a table on a customer-managed key.
        out.push({ ...key(regionKey, "dynamodb", "kms:Decrypt"), why });
        const queueArn = mapping.inputs.destinationConfig?.onFailure?.destinationArn as string | undefined;
        if (queueArn) {
            const queue = m.resources.find((x) => x.type === "aws:sqs/queue:Queue" && x.state.arn === queueArn);
            const failed = `Lambda sends ${fn.inputs.name}'s failed batches to its on-failure queue`;
            out.push({ ...base, action: "sqs:SendMessage", resource: queueArn, context: {}, why: failed });
            if (queue?.inputs.kmsMasterKeyId) {
                for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
                    out.push({ ...key(queue.inputs.kmsMasterKeyId, "sqs", action), why: failed });
                }
            }
        }
    }
    const vpc = fn.inputs.vpcConfig as { subnetIds: string[]; securityGroupIds: string[] } | undefined;
    if (vpc?.subnetIds?.length) {
        const arnOf = (type: string, id: string) =>
            m.resources.find((x) => x.type === type && x.id === id)?.state.arn ??
            `arn:aws:ec2:${region}:${m.accountId}:${type.includes("subnet") ? "subnet" : "security-group"}/${id}`;
        const eni = `arn:aws:ec2:${region}:${m.accountId}:network-interface/*`;
        const why = `Lambda attaches ${fn.inputs.name} to its VPC`;
        for (const resource of [
            eni,
            ...vpc.subnetIds.map((id) => arnOf("aws:ec2/subnet:Subnet", id)),
            ...vpc.securityGroupIds.map((id) => arnOf("aws:ec2/securityGroup:SecurityGroup", id)),
        ]) {
            out.push({ ...base, action: "ec2:CreateNetworkInterface", resource, context: {}, why });
        }
        for (const action of ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]) {
            out.push({ ...base, action, resource: eni, context: {}, why });
        }
        for (const action of ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]) {
            out.push({ ...base, action, resource: "*", context: {}, why });
        }
    }
    return out;
}
