import { expect } from "chai";
import { CLUSTER_IGNORED_AFTER_FAILOVER, LEDGER_ENGINE, LEDGER_MASTER_USERNAME } from "../components/ledger/database";
import { LEDGER_ENGINE_MAJOR } from "../components/ledger/engine-version";
import { ledgerLagThresholds } from "../components/ledger/objectives";
import { ALL_RULES, evaluate } from "../policy/rules";
import { mandatory } from "../policy/rules/evaluate";
import { auroraLagAlarmsInMilliseconds, vpcFunctionEndpoints } from "../policy/rules/ledger";
import { fromSynthesis } from "../policy/rules/view";
import { RecordedResource, Synthesis } from "../scripts/synth/synthesize";
import { listViolations } from "./policy/support";
import { one, ofType, policyOf, stack, stackWith, lambdaEnv } from "./support/stacks";

const EAST = "us-east-1";
const WEST = "us-west-2";
const REGION = { primary: EAST, secondary: WEST } as const;
const ROLES = ["primary", "secondary"] as const;
const LEDGER_TYPES = /^aws:(ec2|vpc|rds)\/|lambda\/(eventSourceMapping|invocation):|logMetricFilter/;
const keyArn = (s: Synthesis, role: string) => one(s, "aws:kms/key:Key", `${role}-key`).state.arn as string;
const byUrn = (s: Synthesis, urn: string) => s.resources.find((r) => r.urn === urn)!;
const dependsOnName = (s: Synthesis, r: RecordedResource, name: string) => r.dependsOn.some((urn) => byUrn(s, urn)?.name === name);

describe("relational ledger (Aurora global database in VPCs, mocked runtime)", () => {
    let prod: Synthesis;
    before(async () => {
        prod = await stackWith("prod", { ledger: "aurora-global" });
    });

    describe("off (the default): the committed stacks create none of it", () => {
        for (const name of ["dev", "prod"] as const) {
            it(`${name}: no VPC, endpoint, peering, cluster, projector or ledger output`, async () => {
                const s = await stack(name);
                // The receipt finisher (issue 10) reads the table stream too; it is not part of the ledger.
                expect(s.resources.filter((r) => LEDGER_TYPES.test(r.type) && !/finisher/.test(r.name)).map((r) => r.type)).to.deep.equal([]);
                expect(s.resources.filter((r) => /ledger/i.test(r.name))).to.deep.equal([]);
                expect(s.outputs.ledgerGlobalWriterEndpoint).to.equal(undefined);
            });
        }
    });

    describe("network", () => {
        for (const role of ROLES) {
            it(`${role}: a VPC from config with DNS, private isolated subnets in three AZs, no internet or NAT gateway`, () => {
                const vpc = one(prod, "aws:ec2/vpc:Vpc", `ledger-${role}-network-vpc`);
                expect(vpc.region).to.equal(REGION[role]);
                expect(vpc.inputs).to.include({
                    cidrBlock: role === "primary" ? "10.40.0.0/16" : "10.41.0.0/16",
                    enableDnsSupport: true,
                    enableDnsHostnames: true,
                });
                const subnets = ofType(prod, "aws:ec2/subnet:Subnet", REGION[role]);
                expect(subnets.map((s) => s.inputs.availabilityZone)).to.have.members([`${REGION[role]}a`, `${REGION[role]}b`, `${REGION[role]}c`]);
                expect(subnets.every((s) => s.inputs.vpcId === vpc.id && s.inputs.mapPublicIpOnLaunch === false)).to.equal(true);
            });
        }

        it("has no internet gateway, NAT gateway, elastic IP or default route anywhere", () => {
            for (const type of [
                "aws:ec2/internetGateway:InternetGateway",
                "aws:ec2/natGateway:NatGateway",
                "aws:ec2/eip:Eip",
                "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
            ]) {
                expect(ofType(prod, type), type).to.deep.equal([]);
            }
            const routes = ofType(prod, "aws:ec2/route:Route");
            expect(routes.map((r) => r.inputs.destinationCidrBlock)).to.not.include("0.0.0.0/0");
            expect(routes.every((r) => r.inputs.vpcPeeringConnectionId !== undefined)).to.equal(true);
        });

        for (const role of ROLES) {
            it(`${role}: gateway endpoints for S3 and DynamoDB on the private route table`, () => {
                const table = one(prod, "aws:ec2/routeTable:RouteTable", `ledger-${role}-network-private-routes`);
                for (const service of ["s3", "dynamodb"]) {
                    const endpoint = one(prod, "aws:ec2/vpcEndpoint:VpcEndpoint", `ledger-${role}-network-${service}-gateway`);
                    expect(endpoint.region).to.equal(REGION[role]);
                    expect(endpoint.inputs).to.deep.include({
                        serviceName: `com.amazonaws.${REGION[role]}.${service}`,
                        vpcEndpointType: "Gateway",
                        routeTableIds: [table.id],
                    });
                }
            });
        }

        it("gives interface endpoints only to what the in-VPC functions call: Secrets Manager in the primary (the migrator), none in the secondary", () => {
            const interfaces = ofType(prod, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
            expect(interfaces.map((e) => [e.region, e.inputs.serviceName])).to.deep.equal([[EAST, `com.amazonaws.${EAST}.secretsmanager`]]);
            const [endpoint] = interfaces;
            expect(endpoint.inputs.privateDnsEnabled).to.equal(true);
            expect(endpoint.inputs.subnetIds).to.have.length(3);
            const group = one(prod, "aws:ec2/securityGroup:SecurityGroup", "ledger-primary-network-endpoints-sg");
            expect(endpoint.inputs.securityGroupIds).to.deep.equal([group.id]);
            const functions = one(prod, "aws:ec2/securityGroup:SecurityGroup", "ledger-primary-network-functions-sg");
            const ingress = ofType(prod, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === group.id);
            expect(ingress.map((r) => r.inputs)).to.deep.equal([
                {
                    securityGroupId: group.id,
                    referencedSecurityGroupId: functions.id,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    description: "HTTPS from ledger functions",
                },
            ]);
        });

        it("lets the database accept PostgreSQL only from the ledger functions (own group, peer CIDR)", () => {
            for (const role of ROLES) {
                const db = one(prod, "aws:ec2/securityGroup:SecurityGroup", `ledger-${role}-network-database-sg`);
                const rules = ofType(prod, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === db.id);
                expect(rules.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4 ?? "sg"])).to.have.deep.members([
                    [5432, 5432, "sg"],
                    [5432, 5432, role === "primary" ? "10.41.0.0/16" : "10.40.0.0/16"],
                ]);
                expect(ofType(prod, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === db.id)).to.deep.equal(
                    [],
                );
            }
        });

        it("peers the VPCs across regions: requested in the primary, accepted in the secondary, routes both ways, remote DNS on both sides", () => {
            const connection = one(prod, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "ledger-peering-connection");
            expect(connection.region).to.equal(EAST);
            expect(connection.inputs).to.include({
                peerRegion: WEST,
                vpcId: one(prod, "aws:ec2/vpc:Vpc", "ledger-primary-network-vpc").id,
                peerVpcId: one(prod, "aws:ec2/vpc:Vpc", "ledger-secondary-network-vpc").id,
            });
            const accepter = one(prod, "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter", "ledger-peering-accepter");
            expect(accepter.region).to.equal(WEST);
            expect(accepter.inputs).to.include({ vpcPeeringConnectionId: connection.id, autoAccept: true });
            const options = ofType(prod, "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions");
            expect(
                options.map((o) => [o.region, o.inputs.requester?.allowRemoteVpcDnsResolution ?? o.inputs.accepter?.allowRemoteVpcDnsResolution]),
            ).to.have.deep.members([
                [EAST, true],
                [WEST, true],
            ]);
            const routes = ofType(prod, "aws:ec2/route:Route").map((r) => [r.region, r.inputs.destinationCidrBlock, r.inputs.vpcPeeringConnectionId]);
            expect(routes).to.have.deep.members([
                [EAST, "10.41.0.0/16", connection.id],
                [WEST, "10.40.0.0/16", connection.id],
            ]);
        });

        it("logs every flow of both VPCs to a log group on the region's key", () => {
            for (const role of ROLES) {
                const flowLog = one(prod, "aws:ec2/flowLog:FlowLog", `ledger-${role}-network-flow-log`);
                const group = one(prod, "aws:cloudwatch/logGroup:LogGroup", `ledger-${role}-network-flow-logs`);
                expect(flowLog.inputs).to.include({ trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: group.state.arn });
                expect(group.inputs.kmsKeyId).to.equal(keyArn(prod, role));
                expect(group.region).to.equal(REGION[role]);
            }
        });
    });

    describe("Aurora global database", () => {
        it("is an encrypted aurora-postgresql global cluster of a current major, protected in prod", () => {
            const global = one(prod, "aws:rds/globalCluster:GlobalCluster", "ledger-database-global");
            expect(global.region).to.equal(EAST);
            expect(global.inputs).to.include({ engine: LEDGER_ENGINE, storageEncrypted: true, deletionProtection: true });
            // The default minor of LEDGER_ENGINE_MAJOR (looked up in the primary region), checked for global databases.
            expect(global.inputs.engineVersion.split(".")[0]).to.equal(LEDGER_ENGINE_MAJOR);
            expect(global.ignoreChanges, "AWS's minor upgrades are never rolled back").to.include("engineVersion");
            expect(global.protect).to.equal(true);
            expect(global.retainOnDelete).to.equal(true);
        });

        for (const role of ROLES) {
            it(`${role}: a cluster in its own region, subnets, security group and key, IAM auth, TLS forced, on its own provider`, () => {
                const cluster = one(prod, "aws:rds/cluster:Cluster", `ledger-database-${role}-cluster`);
                const global = one(prod, "aws:rds/globalCluster:GlobalCluster", "ledger-database-global");
                expect(cluster.region).to.equal(REGION[role]);
                expect(cluster.providerUrn).to.match(new RegExp(`::aws-${role}$`));
                expect(cluster.inputs).to.include({
                    globalClusterIdentifier: global.id,
                    storageEncrypted: true,
                    kmsKeyId: keyArn(prod, role),
                    iamDatabaseAuthenticationEnabled: true,
                    deletionProtection: true,
                    skipFinalSnapshot: false,
                });
                expect(cluster.inputs.finalSnapshotIdentifier).to.match(new RegExp(`^ledger-${role}-final-prod-`));
                expect(cluster.inputs.vpcSecurityGroupIds).to.deep.equal([
                    one(prod, "aws:ec2/securityGroup:SecurityGroup", `ledger-${role}-network-database-sg`).id,
                ]);
                const subnets = one(prod, "aws:rds/subnetGroup:SubnetGroup", `ledger-database-${role}-subnets`);
                expect(cluster.inputs.dbSubnetGroupName).to.equal(subnets.inputs.name);
                expect(subnets.inputs.subnetIds).to.have.members(ofType(prod, "aws:ec2/subnet:Subnet", REGION[role]).map((s) => s.id));
                const parameters = one(prod, "aws:rds/clusterParameterGroup:ClusterParameterGroup", `ledger-database-${role}-parameters`);
                expect(parameters.inputs.parameters).to.deep.include({ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" });
                expect(cluster.inputs.dbClusterParameterGroupName).to.equal(parameters.inputs.name);
                expect(cluster.inputs.serverlessv2ScalingConfiguration).to.deep.equal({ minCapacity: 0.5, maxCapacity: 16 });
                expect(cluster.protect).to.equal(true);
                expect(dependsOnName(prod, cluster, "ledger-database-global"), "explicitly after the global cluster").to.equal(true);
            });
        }

        it("creates master credentials only on the primary: a stack-generated password, kept in Secrets Manager on the primary's key (no RDS-managed password in a global database)", () => {
            const primary = one(prod, "aws:rds/cluster:Cluster", "ledger-database-primary-cluster");
            const secondary = one(prod, "aws:rds/cluster:Cluster", "ledger-database-secondary-cluster");
            expect(primary.inputs.masterUsername).to.equal(LEDGER_MASTER_USERNAME);
            for (const cluster of ofType(prod, "aws:rds/cluster:Cluster")) {
                expect(cluster.inputs.manageMasterUserPassword, cluster.name).to.equal(undefined);
                expect(cluster.inputs.masterUserSecretKmsKeyId, cluster.name).to.equal(undefined);
            }
            const password = one(prod, "random:index/randomPassword:RandomPassword", "ledger-database-master-password");
            expect(password.inputs.length).to.be.at.least(32);
            expect(password.inputs.overrideSpecial).to.not.match(/[/"@ ]/);
            // Both carry the password as a Pulumi secret (the engine's secret signature), never in plain state.
            const SECRET_SIG = "4dabf18193072939515e22adb298388d";
            expect(primary.inputs.masterPassword).to.deep.equal({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value: password.state.result });
            const secret = one(prod, "aws:secretsmanager/secret:Secret", "ledger-database-master-secret");
            expect(secret.region).to.equal(EAST);
            expect(secret.inputs.kmsKeyId).to.equal(keyArn(prod, "primary"));
            const value = one(prod, "aws:secretsmanager/secretVersion:SecretVersion", "ledger-database-master-value");
            expect(value.inputs.secretString[SECRET_SIG]).to.be.a("string");
            expect(JSON.parse(value.inputs.secretString.value)).to.deep.equal({ username: LEDGER_MASTER_USERNAME, password: password.state.result });
            for (const key of ["masterUsername", "masterPassword", "manageMasterUserPassword", "databaseName"]) {
                expect(secondary.inputs[key], key).to.equal(undefined);
            }
        });

        it("joins the secondary only after the primary cluster and its instances exist", () => {
            const secondary = one(prod, "aws:rds/cluster:Cluster", "ledger-database-secondary-cluster");
            for (const name of ["ledger-database-primary-cluster", "ledger-database-primary-instance-1", "ledger-database-primary-instance-2"]) {
                expect(dependsOnName(prod, secondary, name), name).to.equal(true);
            }
        });

        it("runs private Serverless v2 instances in each cluster, on the cluster's provider", () => {
            const instances = ofType(prod, "aws:rds/clusterInstance:ClusterInstance");
            expect(instances).to.have.length(4);
            for (const instance of instances) {
                const role = instance.name.includes("primary") ? "primary" : "secondary";
                expect(instance.region).to.equal(REGION[role]);
                expect(instance.inputs).to.include({
                    instanceClass: "db.serverless",
                    publiclyAccessible: false,
                    clusterIdentifier: one(prod, "aws:rds/cluster:Cluster", `ledger-database-${role}-cluster`).id,
                });
                expect(instance.protect).to.equal(true);
            }
        });

        it("exports the global writer endpoint", () => {
            expect(prod.outputs.ledgerGlobalWriterEndpoint).to.match(/^ledger-global-prod-[a-z0-9]{6}\.global-[0-9a-f]+\.global\.rds\.amazonaws\.com$/);
            expect(prod.outputs.ledgerWriterRegion).to.equal(EAST);
        });

        it("is destroyable in dev (no deletion protection, no final snapshot, not protected) and takes a provisioned class from config", async () => {
            const dev = await stackWith("dev", { ledger: "aurora-global", ledgerInstanceClass: "db.r6g.large" });
            for (const r of [...ofType(dev, "aws:rds/cluster:Cluster"), ...ofType(dev, "aws:rds/globalCluster:GlobalCluster")]) {
                expect(r.inputs.deletionProtection, r.name).to.equal(false);
                expect(r.protect, r.name).to.equal(false);
            }
            for (const cluster of ofType(dev, "aws:rds/cluster:Cluster")) {
                expect(cluster.inputs).to.include({ skipFinalSnapshot: true });
                expect(cluster.inputs.finalSnapshotIdentifier).to.equal(undefined);
                expect(cluster.inputs.serverlessv2ScalingConfiguration, "no Serverless v2 scaling on a provisioned class").to.equal(undefined);
            }
            expect(ofType(dev, "aws:rds/clusterInstance:ClusterInstance").map((i) => i.inputs.instanceClass)).to.deep.equal(["db.r6g.large", "db.r6g.large"]);
            const violations = mandatory(await evaluate(fromSynthesis(dev.resources), ALL_RULES));
            expect(violations, listViolations(violations)).to.deep.equal([]);
        });
    });

    describe("projectors and migration", () => {
        for (const role of ROLES) {
            it(`${role}: a projector in the VPC reading this region's stream, through the global writer endpoint`, () => {
                const fn = one(prod, "aws:lambda/function:Function", `ledger-${role}-projector-function`);
                expect(fn.region).to.equal(REGION[role]);
                expect(fn.inputs.vpcConfig.subnetIds).to.have.members(ofType(prod, "aws:ec2/subnet:Subnet", REGION[role]).map((s) => s.id));
                expect(fn.inputs.vpcConfig.securityGroupIds).to.deep.equal([
                    one(prod, "aws:ec2/securityGroup:SecurityGroup", `ledger-${role}-network-functions-sg`).id,
                ]);
                const env = lambdaEnv(fn);
                expect(env).to.include({
                    LEDGER_DB_HOST: prod.outputs.ledgerGlobalWriterEndpoint,
                    LEDGER_DB_USER: "ledger_projector",
                    LEDGER_WRITER_REGION: EAST,
                    LEDGER_PEER_REGION: WEST,
                    APP_REGION: REGION[role],
                    NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
                });
                const mapping = one(prod, "aws:lambda/eventSourceMapping:EventSourceMapping", `ledger-${role}-projector-stream`);
                expect(mapping.inputs.eventSourceArn).to.match(
                    new RegExp(`^arn:aws:dynamodb:${REGION[role]}:\\d{12}:table/transactions-table-prod-[a-z0-9]{6}/stream/`),
                );
                expect(mapping.inputs).to.include({ startingPosition: "TRIM_HORIZON", bisectBatchOnFunctionError: true });
                expect(mapping.inputs.functionResponseTypes).to.deep.equal(["ReportBatchItemFailures"]);
                const queue = one(prod, "aws:sqs/queue:Queue", `ledger-${role}-projector-failures`);
                expect(mapping.inputs.destinationConfig.onFailure.destinationArn).to.equal(queue.state.arn);
                expect(queue.inputs.kmsMasterKeyId).to.equal(keyArn(prod, role));
                expect(JSON.parse(mapping.inputs.filterCriteria.filters[0].pattern)).to.deep.equal({
                    eventName: ["INSERT", "MODIFY"],
                    dynamodb: { Keys: { sk: { S: ["TXN"] } } },
                });
                expect(dependsOnName(prod, mapping, "ledger-migration-run"), "the tables exist before the first record").to.equal(true);
            });

            it(`${role}: the projector's role reads only this stream, writes only its failure queue, connects only as ledger_projector`, () => {
                const doc = policyOf(one(prod, "aws:iam/rolePolicy:RolePolicy", `ledger-${role}-projector-policy`));
                const bySid: Record<string, { Resource: unknown }> = Object.fromEntries(
                    doc.Statement.map((st: { Sid: string; Resource: unknown }) => [st.Sid, st]),
                );
                const mapping = one(prod, "aws:lambda/eventSourceMapping:EventSourceMapping", `ledger-${role}-projector-stream`);
                expect(bySid.ReadTableStream.Resource).to.equal(mapping.inputs.eventSourceArn);
                expect(bySid.ReportFailures.Resource).to.equal(one(prod, "aws:sqs/queue:Queue", `ledger-${role}-projector-failures`).state.arn);
                const clusters = ROLES.map((r) => one(prod, "aws:rds/cluster:Cluster", `ledger-database-${r}-cluster`).state.clusterResourceId);
                expect(bySid.ConnectAsProjector.Resource).to.deep.equal([
                    `arn:aws:rds-db:${EAST}:123456789012:dbuser:${clusters[0]}/ledger_projector`,
                    `arn:aws:rds-db:${WEST}:123456789012:dbuser:${clusters[1]}/ledger_projector`,
                ]);
                const wildcard = doc.Statement.filter((st: { Resource: unknown }) => st.Resource === "*").flatMap((st: { Action: string[] }) =>
                    [st.Action].flat(),
                );
                expect(wildcard.sort()).to.deep.equal(["dynamodb:ListStreams", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]);
                expect(JSON.stringify(doc)).to.not.match(/secretsmanager|dynamodb:(PutItem|GetItem|Scan|Query)|"s3:/);
            });
        }

        it("migrates once per migration change, in the primary region, reading only the master secret", () => {
            const invocations = ofType(prod, "aws:lambda/invocation:Invocation");
            expect(invocations).to.have.length(1);
            const [run] = invocations;
            expect(run.region).to.equal(EAST);
            expect(run.inputs.triggers.migrationsHash).to.match(/^[0-9a-f]{64}$/);
            expect(JSON.parse(run.inputs.input)).to.deep.equal({ migrationsHash: run.inputs.triggers.migrationsHash });
            // Components expand to their children: the Secrets Manager endpoint and the peering routes.
            for (const name of [
                "ledger-database-primary-instance-1",
                "ledger-database-secondary-instance-1",
                "ledger-primary-network-secretsmanager-interface",
                "ledger-peering-route-secondary-to-primary",
            ]) {
                expect(dependsOnName(prod, run, name), name).to.equal(true);
            }
            const doc = policyOf(one(prod, "aws:iam/rolePolicy:RolePolicy", "ledger-migration-policy"));
            const secret = one(prod, "aws:secretsmanager/secret:Secret", "ledger-database-master-secret").state.arn;
            expect(doc.Statement.find((st: { Sid: string }) => st.Sid === "ReadMasterSecret").Resource).to.equal(secret);
            const fn = one(prod, "aws:lambda/function:Function", "ledger-migration-function");
            expect(lambdaEnv(fn).LEDGER_MASTER_SECRET_ARN).to.equal(secret);
            expect(fn.inputs.vpcConfig.subnetIds).to.have.length(3);
        });
    });

    describe("alarms", () => {
        it("alarms on AuroraGlobalDBRPOLag and AuroraGlobalDBReplicationLag per cluster, in milliseconds derived from rpoTargetMinutes", () => {
            const alarms = ofType(prod, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/RDS");
            expect(alarms.map((a) => [a.region, a.inputs.metricName, a.inputs.threshold, a.inputs.unit])).to.have.deep.members([
                [EAST, "AuroraGlobalDBRPOLag", 150_000, "Milliseconds"],
                [EAST, "AuroraGlobalDBReplicationLag", 60_000, "Milliseconds"],
                [WEST, "AuroraGlobalDBRPOLag", 150_000, "Milliseconds"],
                [WEST, "AuroraGlobalDBReplicationLag", 60_000, "Milliseconds"],
            ]);
            for (const alarm of alarms) {
                const role = alarm.region === EAST ? "primary" : "secondary";
                expect(alarm.inputs.dimensions).to.deep.equal({
                    DBClusterIdentifier: one(prod, "aws:rds/cluster:Cluster", `ledger-database-${role}-cluster`).inputs.clusterIdentifier,
                });
                expect(alarm.inputs.alarmActions).to.deep.equal([one(prod, "aws:sns/topic:Topic", `${role}-alerts`).state.arn]);
            }
        });

        it("derives the thresholds from the target: never seconds written where milliseconds are meant", () => {
            expect(ledgerLagThresholds(5)).to.deep.equal({ rpoLagMs: 150_000, replicationLagMs: 60_000 });
            expect(ledgerLagThresholds(1)).to.deep.equal({ rpoLagMs: 30_000, replicationLagMs: 30_000 });
            expect(ledgerLagThresholds(60).rpoLagMs).to.equal(1_800_000);
        });

        it("alarms on the projectors' errors, iterator age, failure queue and rejected records", () => {
            for (const role of ROLES) {
                const names = ofType(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", REGION[role]).map((a) => a.inputs.name as string);
                for (const what of ["ledger-projector-errors", "ledger-projector-iterator-age", "ledger-projector-failures", "ledger-rejected-records"]) {
                    expect(
                        names.some((n) => n.startsWith(`${what}-${role}-prod-`)),
                        `${what} in ${role}`,
                    ).to.equal(true);
                }
            }
            const filter = one(prod, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "ledger-primary-projector-rejected-records");
            expect(filter.inputs.pattern).to.equal('"ledger-record-rejected"');
        });

        it("includes the ledger's RPO and RTO in the computed objectives", () => {
            const objectives = prod.outputs.recoveryObjectives as {
                rpo: { store: string; worstCaseSeconds: number; watchedBy: string }[];
                ledgerRto?: { rtoSeconds: number };
            };
            const ledger = objectives.rpo.find((o) => o.store.startsWith("Aurora global database"))!;
            expect(ledger.worstCaseSeconds).to.equal(150);
            expect(ledger.watchedBy).to.include("AuroraGlobalDBRPOLag maximum >= 150000 ms");
            expect(objectives.ledgerRto?.rtoSeconds).to.equal(360);
        });
    });

    describe("a failover recorded in config (ledgerWriterRole: secondary)", () => {
        let flipped: Synthesis;
        before(async () => {
            flipped = await stackWith("prod", { ledger: "aurora-global", ledgerWriterRole: "secondary" });
        });

        it("changes nothing of the global cluster, the clusters or their instances: Pulumi neither detaches nor recreates them", () => {
            const data = (s: Synthesis) =>
                s.resources
                    .filter((r) => /^aws:rds\//.test(r.type))
                    .map((r) => ({ urn: r.urn.replace("prod-variant", "prod"), inputs: r.inputs, protect: r.protect, ignoreChanges: r.ignoreChanges }));
            expect(data(flipped)).to.deep.equal(data(prod));
            expect(data(prod)).to.have.length(11);
        });

        it("leaves alone what AWS changes in a switchover or failover (membership, replication source, engine version)", () => {
            for (const role of ROLES) {
                const cluster = one(prod, "aws:rds/cluster:Cluster", `ledger-database-${role}-cluster`);
                expect(cluster.ignoreChanges).to.have.members(CLUSTER_IGNORED_AFTER_FAILOVER);
                expect(cluster.ignoreChanges).to.include.members(["globalClusterIdentifier", "replicationSourceIdentifier"]);
            }
        });

        it("makes the projectors sign for the new writer's region first; the alarms stay on both clusters", () => {
            for (const role of ROLES) {
                const env = lambdaEnv(one(flipped, "aws:lambda/function:Function", `ledger-${role}-projector-function`));
                expect(env).to.include({ LEDGER_WRITER_REGION: WEST, LEDGER_PEER_REGION: EAST });
            }
            expect(flipped.outputs.ledgerWriterRegion).to.equal(WEST);
            const lag = (s: Synthesis) =>
                ofType(s, "aws:cloudwatch/metricAlarm:MetricAlarm")
                    .filter((a) => a.inputs.namespace === "AWS/RDS")
                    .map((a) => a.inputs);
            expect(lag(flipped)).to.deep.equal(lag(prod));
        });
    });

    it("passes every mandatory policy of the pack with the ledger on (prod)", async () => {
        const violations = mandatory(await evaluate(fromSynthesis(prod.resources), ALL_RULES));
        expect(violations, listViolations(violations)).to.deep.equal([]);
    });

    it("is caught by the ledger policies when it loses its Secrets Manager endpoint or a lag alarm says seconds", async () => {
        const views = fromSynthesis(prod.resources);
        const noEndpoint = views.filter((v) => !/secretsmanager-interface$/.test(v.name));
        const found = await evaluate(noEndpoint, [vpcFunctionEndpoints]);
        expect(found.map((v) => v.message)).to.have.length(1);
        expect(found[0].message).to.match(/^function ledger-migration-function runs in VPC vpc-\w+ and its role lets it call secretsmanager/);
        const seconds = views.map((v) => (v.props.metricName === "AuroraGlobalDBRPOLag" ? { ...v, props: { ...v.props, threshold: 150 } } : v));
        expect(await evaluate(seconds, [auroraLagAlarmsInMilliseconds])).to.have.length(2);
    });
});
