/**
 * Policy builders for the relational ledger: the projector and migrator roles, the flow-log role. Pure
 * functions from real ARNs to policy documents, like `iam.ts`.
 */
import { partitionOf } from "../shared/arn-partition";
import { PolicyDocument, PolicyStatement, policyDocument } from "../shared/iam";

/** The database role the projectors log in as, with IAM authentication (`GRANT rds_iam`). */
export const LEDGER_PROJECTOR_DB_USER = "ledger_projector";
/** Lambda reads the table's stream with the function's role (DynamoDB event source mapping). */
export const STREAM_READ_ACTIONS = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"];

/** `rds-db:connect` ARN of a database user on one cluster (its `clusterResourceId`, not its name). */
export function dbUserArn(a: { partition: string; region: string; accountId: string; clusterResourceId: string; user: string }): string {
    return `arn:${a.partition}:rds-db:${a.region}:${a.accountId}:dbuser:${a.clusterResourceId}/${a.user}`;
}

export interface VpcFunctionNetworkArgs {
    readonly region: string;
    readonly accountId: string;
    readonly subnetArns: readonly string[];
    readonly securityGroupArn: string;
}

/**
 * What Lambda needs to attach a function to its subnets (AWS: "Giving Lambda functions access to resources in
 * an Amazon VPC"): create and delete its network interfaces, scoped to this VPC's subnets and security group.
 */
function vpcNetworkStatements(a: VpcFunctionNetworkArgs): PolicyStatement[] {
    const interfaces = `arn:${partitionOf(a.securityGroupArn)}:ec2:${a.region}:${a.accountId}:network-interface/*`;
    return [
        {
            Sid: "CreateInterfacesInLedgerSubnets",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterface",
            Resource: [interfaces, ...a.subnetArns, a.securityGroupArn],
        },
        {
            Sid: "ManageOwnInterfaces",
            Effect: "Allow",
            Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
            Resource: interfaces,
        },
        // No resource-level permissions exist for these two.
        { Sid: "DescribeNetwork", Effect: "Allow", Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], Resource: "*" },
    ];
}

export interface ProjectorPolicyArgs extends VpcFunctionNetworkArgs {
    readonly logGroupArn: string;
    /** This region's stream of the global table. */
    readonly streamArn: string;
    /** Where the event source mapping sends the position of batches it gave up on. */
    readonly failureQueueArn: string;
    readonly keyArn: string;
    /** `rds-db:connect` ARNs of the projector's database user on each regional cluster (either may be the writer). */
    readonly dbUserArns: readonly string[];
}

/** The projector: read this region's stream, report failures, connect to the ledger as its IAM database user. */
export function projectorPolicy(a: ProjectorPolicyArgs): PolicyDocument {
    return policyDocument(
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.logGroupArn}:*` },
        { Sid: "ReadTableStream", Effect: "Allow", Action: STREAM_READ_ACTIONS, Resource: a.streamArn },
        // Lambda checks ListStreams when it creates the mapping; it takes no resource.
        { Sid: "ListStreams", Effect: "Allow", Action: "dynamodb:ListStreams", Resource: "*" },
        { Sid: "ReportFailures", Effect: "Allow", Action: "sqs:SendMessage", Resource: a.failureQueueArn },
        {
            // Stream records of a CMK-encrypted table, the encrypted failure queue and the environment variables.
            Sid: "UseRegionalKeyThroughServices",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: a.keyArn,
            Condition: { StringEquals: { "kms:ViaService": ["dynamodb", "sqs", "lambda"].map((s) => `${s}.${a.region}.amazonaws.com`) } },
        },
        // IAM database authentication: the token is signed locally, the database checks this permission.
        { Sid: "ConnectAsProjector", Effect: "Allow", Action: "rds-db:connect", Resource: [...a.dbUserArns] },
        ...vpcNetworkStatements(a),
    );
}

export interface MigratorPolicyArgs extends VpcFunctionNetworkArgs {
    readonly logGroupArn: string;
    /** The master user secret RDS manages, and the key it is encrypted with. */
    readonly masterSecretArn: string;
    readonly secretKeyArn: string;
    /** The function's own key (environment variables). */
    readonly keyArn: string;
}

/** The migrator: read the master secret once per run, nothing else. */
export function migratorPolicy(a: MigratorPolicyArgs): PolicyDocument {
    return policyDocument(
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.logGroupArn}:*` },
        { Sid: "ReadMasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: a.masterSecretArn },
        {
            Sid: "DecryptMasterSecret",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: a.secretKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${a.region}.amazonaws.com` } },
        },
        {
            // Lambda decrypts the environment variables with the function's key on its behalf.
            Sid: "DecryptEnvironment",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: a.keyArn,
            Condition: { StringEquals: { "kms:ViaService": `lambda.${a.region}.amazonaws.com` } },
        },
        ...vpcNetworkStatements(a),
    );
}

/** VPC flow logs delivering to one CloudWatch log group. */
export function flowLogPolicy(logGroupArn: string): PolicyDocument {
    return policyDocument(
        { Sid: "DeliverFlowLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
        { Sid: "FindOwnStreams", Effect: "Allow", Action: "logs:DescribeLogStreams", Resource: logGroupArn },
    );
}
