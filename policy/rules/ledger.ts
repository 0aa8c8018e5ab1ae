/**
 * The relational ledger (Aurora global database in VPCs): clusters on customer-managed keys, nothing publicly
 * accessible, prod clusters that survive a mistaken delete, in-VPC functions with exactly the interface
 * endpoints they need, and replication-lag alarms that really are in milliseconds.
 */
import { keyProblem } from "./encryption";
import { FUNCTION_TYPE, VPC_ENDPOINT_TYPE } from "./lambda";
import { alarmMetrics } from "./monitoring";
import { parseDocument, Statement } from "./policy-document";
import { PROD_ENVIRONMENT } from "./prod";
import { bool, isSet, isUnknown, list, num, obj, parseArn, ResourceRule, ResourceView, StackRule, str } from "./view";

export const RDS_CLUSTER_TYPE = "aws:rds/cluster:Cluster";
export const RDS_GLOBAL_CLUSTER_TYPE = "aws:rds/globalCluster:GlobalCluster";
export const RDS_INSTANCE_TYPES = ["aws:rds/clusterInstance:ClusterInstance", "aws:rds/instance:Instance"];
const SUBNET_TYPE = "aws:ec2/subnet:Subnet";
const ROLE_TYPE = "aws:iam/role:Role";
const ROLE_POLICY_TYPE = "aws:iam/rolePolicy:RolePolicy";
const SG_INGRESS_TYPES = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:ec2/securityGroupRule:SecurityGroupRule"];

/** Aurora global database lag metrics: both in milliseconds (Aurora User Guide, CloudWatch metrics for Aurora). */
export const AURORA_LAG_METRICS = ["AuroraGlobalDBReplicationLag", "AuroraGlobalDBRPOLag"];
/** A lag threshold under one second is a threshold written in seconds: "5" means 5 ms, which always breaches. */
export const MIN_LAG_THRESHOLD_MS = 1000;

export const ledgerClusterCmk: ResourceRule = {
    name: "rds-cluster-cmk-encryption",
    description:
        "Aurora clusters have `storageEncrypted: true` with a customer-managed key from their own region (`kmsKeyId`); global clusters have `storageEncrypted: true`.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== RDS_CLUSTER_TYPE && view.type !== RDS_GLOBAL_CLUSTER_TYPE) {
            return;
        }
        const encrypted = view.props.storageEncrypted;
        if (!isUnknown(encrypted) && bool(encrypted) !== true) {
            report("`storageEncrypted` is not true: the ledger's data would be stored unencrypted (and a global cluster refuses encrypted members).");
        }
        if (view.type === RDS_CLUSTER_TYPE) {
            const problem = keyProblem(view.props.kmsKeyId, view.region, { requireArn: true });
            if (problem) {
                report(`\`kmsKeyId\`: ${problem}; without it RDS uses the AWS-managed aws/rds key.`);
            }
        }
    },
};

export const rdsNotPubliclyAccessible: ResourceRule = {
    name: "rds-not-publicly-accessible",
    description: "Database instances are never `publiclyAccessible`.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (RDS_INSTANCE_TYPES.includes(view.type) && bool(view.props.publiclyAccessible) === true) {
            report("`publiclyAccessible: true` gives the instance a public address: the ledger is reached only from the ledger VPCs.");
        }
    },
};

export const prodRdsDeletionProtection: ResourceRule = {
    name: "prod-rds-deletion-protection",
    description: "In prod, Aurora clusters and global clusters have `deletionProtection: true`, and clusters keep a final snapshot.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.environment !== PROD_ENVIRONMENT || (view.type !== RDS_CLUSTER_TYPE && view.type !== RDS_GLOBAL_CLUSTER_TYPE)) {
            return;
        }
        const protection = view.props.deletionProtection;
        if (!isUnknown(protection) && bool(protection) !== true) {
            report("prod database without `deletionProtection: true`: one API call could delete the ledger.");
        }
        if (view.type === RDS_CLUSTER_TYPE && bool(view.props.skipFinalSnapshot) === true) {
            report("prod cluster with `skipFinalSnapshot: true`: deleting it would leave no snapshot; set a `finalSnapshotIdentifier`.");
        }
    },
};

/**
 * Actions Lambda performs for a function from outside its VPC (with the function's role): they need no
 * endpoint. Network interfaces and logs (the Lambda service), stream reads and failure destinations (the event
 * source mapping), tracing (the X-Ray daemon's path is Lambda's), and database logins (the database is in the
 * VPC itself). KMS counts only through a `kms:ViaService` condition (a service decrypts for the function).
 */
const SERVICE_SIDE_ACTIONS = [
    /^ec2:/,
    /^logs:/,
    /^xray:/,
    /^rds-db:/,
    /^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$/,
    /^sqs:SendMessage$/,
];

function isServiceSide(action: string, statement: Statement): boolean {
    if (/^kms:/.test(action)) {
        return Object.values(statement.Condition ?? {}).some((block) => Object.keys(block).includes("kms:ViaService"));
    }
    return SERVICE_SIDE_ACTIONS.some((re) => re.test(action));
}

/** The AWS services a function's code calls itself, from its role's inline policies; undefined when unknown. */
function servicesCalledFromVpc(fn: ResourceView, views: readonly ResourceView[]): Set<string> | undefined {
    const roleArn = str(fn.props.role);
    const role = views.find((v) => v.type === ROLE_TYPE && (v.props.arn === roleArn || `role/${str(v.props.name)}` === parseArn(roleArn)?.resource));
    if (!role) {
        return undefined;
    }
    const services = new Set<string>();
    const policies = views.filter((v) => v.type === ROLE_POLICY_TYPE && (v.props.role === role.props.name || v.props.role === role.id));
    for (const policy of policies) {
        const doc = parseDocument(policy.props.policy);
        if (doc.kind !== "document") {
            return undefined;
        }
        for (const statement of doc.statements.filter((s) => s.Effect === "Allow")) {
            for (const action of statement.Action) {
                if (!isServiceSide(action, statement)) {
                    services.add(action.split(":")[0].toLowerCase());
                }
            }
        }
    }
    return services;
}

function vpcOfFunction(fn: ResourceView, views: readonly ResourceView[]): string | undefined {
    const subnetIds = list(obj(fn.props.vpcConfig)?.subnetIds);
    const subnet = views.find((v) => v.type === SUBNET_TYPE && subnetIds.includes(v.id ?? v.props.id));
    return str(subnet?.props.vpcId);
}

const serviceOf = (serviceName: string) => serviceName.split(".").slice(3).join(".");

export const vpcFunctionEndpoints: StackRule = {
    name: "vpc-functions-have-exactly-needed-endpoints",
    description:
        "Functions in a VPC have an interface endpoint (private DNS on) for every AWS service their role lets their code call, and a VPC with functions has no interface endpoint none of them needs (each costs per AZ-hour); gateway endpoints are free and always allowed.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const endpoints = views.filter((v) => v.type === VPC_ENDPOINT_TYPE && str(v.props.vpcEndpointType) === "Interface");
        const needed = new Map<string, Set<string>>();
        for (const fn of views.filter((v) => v.type === FUNCTION_TYPE && list(obj(v.props.vpcConfig)?.subnetIds).length > 0)) {
            const vpc = vpcOfFunction(fn, views);
            const services = servicesCalledFromVpc(fn, views);
            if (vpc === undefined || services === undefined) {
                continue; // Unknown during preview, or not this stack's subnets.
            }
            const wanted = needed.get(vpc) ?? new Set<string>();
            needed.set(vpc, wanted);
            for (const service of services) {
                wanted.add(service);
                const endpoint = endpoints.find((e) => e.props.vpcId === vpc && serviceOf(str(e.props.serviceName) ?? "") === service);
                if (!endpoint) {
                    report(
                        `function ${fn.name} runs in VPC ${vpc} and its role lets it call ${service}, but the VPC has no ${service} interface endpoint: ` +
                            "with no NAT gateway the call can only time out. Add the endpoint (private DNS on, 443 from the function's security group).",
                        fn.urn,
                    );
                } else if (bool(endpoint.props.privateDnsEnabled) !== true && !isUnknown(endpoint.props.privateDnsEnabled)) {
                    report(`interface endpoint ${endpoint.name} has private DNS off: the SDK's default ${service} host would not resolve to it.`, endpoint.urn);
                }
            }
        }
        for (const endpoint of endpoints) {
            const vpc = str(endpoint.props.vpcId);
            const wanted = vpc === undefined ? undefined : needed.get(vpc);
            const service = serviceOf(str(endpoint.props.serviceName) ?? "");
            if (wanted && !wanted.has(service)) {
                report(
                    `interface endpoint ${endpoint.name} (${service}) serves no function of VPC ${vpc}: no role there allows a ${service} call. ` +
                        "Remove it (about $22 a month across three AZs) or grant the call that needs it.",
                    endpoint.urn,
                );
            }
        }
    },
};

export const interfaceEndpointHttpsFromGroups: StackRule = {
    name: "vpc-interface-endpoint-https-only-from-groups",
    description: "Interface endpoints' security groups accept only TCP 443, and only from security groups (never from an address range).",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const groups = new Set(
            views
                .filter((v) => v.type === VPC_ENDPOINT_TYPE && str(v.props.vpcEndpointType) === "Interface")
                .flatMap((e) => list(e.props.securityGroupIds).map(String)),
        );
        for (const rule of views.filter((v) => SG_INGRESS_TYPES.includes(v.type) && groups.has(String(v.props.securityGroupId)))) {
            if (rule.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && str(rule.props.type) !== "ingress") {
                continue;
            }
            const https = str(rule.props.ipProtocol ?? rule.props.protocol) === "tcp" && num(rule.props.fromPort) === 443 && num(rule.props.toPort) === 443;
            const fromGroup = isSet(rule.props.referencedSecurityGroupId ?? rule.props.sourceSecurityGroupId);
            if (!https || !fromGroup) {
                report(
                    `${rule.name} lets ${JSON.stringify(rule.props.cidrIpv4 ?? rule.props.cidrBlocks ?? "an address range")} reach an interface endpoint on ` +
                        `${str(rule.props.ipProtocol ?? rule.props.protocol) ?? "?"} ${num(rule.props.fromPort) ?? "?"}-${num(rule.props.toPort) ?? "?"}: allow TCP 443 from the functions' security group only.`,
                    rule.urn,
                );
            }
        }
    },
};

export const auroraLagAlarmsInMilliseconds: StackRule = {
    name: "aurora-lag-alarms-in-milliseconds",
    description: `Every Aurora global cluster member has AuroraGlobalDBReplicationLag and AuroraGlobalDBRPOLag alarms (DBClusterIdentifier, its region), with thresholds of at least ${MIN_LAG_THRESHOLD_MS} ms and unit Milliseconds when set.`,
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const alarms = views.filter((v) => v.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        for (const alarm of alarms) {
            for (const metric of alarmMetrics(alarm).filter((m) => m.namespace === "AWS/RDS" && AURORA_LAG_METRICS.includes(m.metricName ?? ""))) {
                const threshold = num(alarm.props.threshold);
                const unit = str(alarm.props.unit);
                if (threshold !== undefined && threshold < MIN_LAG_THRESHOLD_MS) {
                    report(
                        `alarm ${alarm.name} on ${metric.metricName} has threshold ${threshold}: the metric is in milliseconds, so that is ${threshold} ms ` +
                            "and the alarm is always in alarm. Write milliseconds (e.g. half the RPO target: 150000 for 5 minutes).",
                        alarm.urn,
                    );
                }
                if (unit !== undefined && unit !== "Milliseconds") {
                    report(
                        `alarm ${alarm.name} on ${metric.metricName} has unit ${unit}: the metric is published in Milliseconds, so it would never get data.`,
                        alarm.urn,
                    );
                }
            }
        }
        for (const cluster of views.filter((v) => v.type === RDS_CLUSTER_TYPE && isSet(v.props.globalClusterIdentifier))) {
            const id = cluster.props.clusterIdentifier;
            for (const metricName of AURORA_LAG_METRICS) {
                const found = alarms
                    .filter((a) => a.region === cluster.region)
                    .some((a) => alarmMetrics(a).some((m) => m.metricName === metricName && (isUnknown(id) || m.dimensions.DBClusterIdentifier === id)));
                if (!found) {
                    report(
                        `global cluster member ${cluster.name} (${cluster.region}) has no ${metricName} alarm with DBClusterIdentifier=${String(id)} in its region: ` +
                            "replication lag would go unnoticed until a failover loses data.",
                        cluster.urn,
                    );
                }
            }
        }
    },
};

export const LEDGER_RULES = [
    ledgerClusterCmk,
    rdsNotPubliclyAccessible,
    prodRdsDeletionProtection,
    vpcFunctionEndpoints,
    interfaceEndpointHttpsFromGroups,
    auroraLagAlarmsInMilliseconds,
];
