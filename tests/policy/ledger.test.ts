import { expect } from "chai";
import {
    auroraLagAlarmsInMilliseconds,
    interfaceEndpointHttpsFromGroups,
    ledgerClusterCmk,
    prodRdsDeletionProtection,
    rdsNotPubliclyAccessible,
    vpcFunctionEndpoints,
} from "../../policy/rules/ledger";
import { ACCOUNT, doc, EAST, KEY_EAST, KEY_WEST, messages, view } from "./support";

const cluster = (props: Record<string, unknown> = {}, environment = "dev") =>
    view({
        type: "aws:rds/cluster:Cluster",
        name: "ledger-primary-cluster",
        region: EAST,
        environment,
        props: {
            clusterIdentifier: "ledger-primary-dev-abc",
            storageEncrypted: true,
            kmsKeyId: KEY_EAST,
            deletionProtection: false,
            globalClusterIdentifier: "ledger-global",
            ...props,
        },
    });

describe("policy: relational ledger", () => {
    describe("rds-cluster-cmk-encryption", () => {
        it("flags an unencrypted cluster, the AWS-managed key, another region's key and an unencrypted global cluster", async () => {
            expect(await messages(ledgerClusterCmk, cluster({ storageEncrypted: false }))).to.have.length(1);
            expect((await messages(ledgerClusterCmk, cluster({ kmsKeyId: undefined })))[0]).to.include("no customer-managed key");
            expect((await messages(ledgerClusterCmk, cluster({ kmsKeyId: "alias/aws/rds" })))[0]).to.include("AWS-managed");
            expect((await messages(ledgerClusterCmk, cluster({ kmsKeyId: KEY_WEST })))[0]).to.include("use this region's key");
            expect(await messages(ledgerClusterCmk, view({ type: "aws:rds/globalCluster:GlobalCluster", region: EAST, props: {} }))).to.have.length(1);
        });

        it("passes an encrypted cluster on its region's key and an encrypted global cluster", async () => {
            expect(await messages(ledgerClusterCmk, cluster())).to.deep.equal([]);
            expect(
                await messages(ledgerClusterCmk, view({ type: "aws:rds/globalCluster:GlobalCluster", region: EAST, props: { storageEncrypted: true } })),
            ).to.deep.equal([]);
        });
    });

    describe("rds-not-publicly-accessible", () => {
        it("flags a publicly accessible instance; passes a private one", async () => {
            const instance = (publiclyAccessible: boolean) =>
                view({ type: "aws:rds/clusterInstance:ClusterInstance", region: EAST, props: { publiclyAccessible } });
            expect(await messages(rdsNotPubliclyAccessible, instance(true))).to.have.length(1);
            expect(await messages(rdsNotPubliclyAccessible, instance(false))).to.deep.equal([]);
        });
    });

    describe("prod-rds-deletion-protection", () => {
        it("flags a prod cluster without deletion protection or skipping its final snapshot, and an unprotected prod global cluster", async () => {
            expect(await messages(prodRdsDeletionProtection, cluster({ deletionProtection: false, skipFinalSnapshot: true }, "prod"))).to.have.length(2);
            const global = view({ type: "aws:rds/globalCluster:GlobalCluster", region: EAST, environment: "prod", props: { deletionProtection: false } });
            expect(await messages(prodRdsDeletionProtection, global)).to.have.length(1);
        });

        it("passes a protected prod cluster, and a destroyable dev one", async () => {
            expect(await messages(prodRdsDeletionProtection, cluster({ deletionProtection: true, skipFinalSnapshot: false }, "prod"))).to.deep.equal([]);
            expect(await messages(prodRdsDeletionProtection, cluster({ deletionProtection: false, skipFinalSnapshot: true }))).to.deep.equal([]);
        });
    });

    describe("vpc-functions-have-exactly-needed-endpoints", () => {
        const subnet = view({ type: "aws:ec2/subnet:Subnet", region: EAST, id: "subnet-1", props: { vpcId: "vpc-1" } });
        const role = view({
            type: "aws:iam/role:Role",
            region: EAST,
            id: "migrator",
            props: { name: "migrator", arn: `arn:aws:iam::${ACCOUNT}:role/migrator` },
        });
        const fn = view({
            type: "aws:lambda/function:Function",
            name: "migrator",
            region: EAST,
            props: { role: `arn:aws:iam::${ACCOUNT}:role/migrator`, vpcConfig: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-fn"] } },
        });
        const rolePolicy = (...statements: Record<string, unknown>[]) =>
            view({ type: "aws:iam/rolePolicy:RolePolicy", region: EAST, props: { role: "migrator", policy: doc(...statements) } });
        const serviceSide = [
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "arn:aws:logs:us-east-1:1:log-group:x:*" },
            { Effect: "Allow", Action: "ec2:CreateNetworkInterface", Resource: "*" },
            { Effect: "Allow", Action: "rds-db:connect", Resource: "arn:aws:rds-db:us-east-1:1:dbuser:cluster-X/ledger_projector" },
            {
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: KEY_EAST,
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
            },
        ];
        const secretRead = { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:us-east-1:1:secret:x" };
        const endpoint = (service: string, type = "Interface", privateDnsEnabled = true) =>
            view({
                type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                name: `${service}-endpoint`,
                region: EAST,
                props: { vpcId: "vpc-1", serviceName: `com.amazonaws.${EAST}.${service}`, vpcEndpointType: type, privateDnsEnabled },
            });

        it("flags a function whose role calls a service with no endpoint, a private-DNS-less endpoint, and an endpoint nobody needs", async () => {
            const missing = await messages(vpcFunctionEndpoints, subnet, role, fn, rolePolicy(...serviceSide, secretRead));
            expect(missing).to.have.length(1);
            expect(missing[0]).to.include("no secretsmanager interface endpoint");
            expect(
                await messages(vpcFunctionEndpoints, subnet, role, fn, rolePolicy(secretRead), endpoint("secretsmanager", "Interface", false)),
            ).to.have.length(1);
            const unneeded = await messages(
                vpcFunctionEndpoints,
                subnet,
                role,
                fn,
                rolePolicy(...serviceSide, secretRead),
                endpoint("secretsmanager"),
                endpoint("sts"),
            );
            expect(unneeded).to.have.length(1);
            expect(unneeded[0]).to.include("(sts) serves no function");
        });

        it("passes exactly the needed endpoints; service-side actions (logs, ENIs, database login, KMS via a service) need none; gateway endpoints are free", async () => {
            expect(
                await messages(
                    vpcFunctionEndpoints,
                    subnet,
                    role,
                    fn,
                    rolePolicy(...serviceSide, secretRead),
                    endpoint("secretsmanager"),
                    endpoint("s3", "Gateway"),
                ),
            ).to.deep.equal([]);
            expect(await messages(vpcFunctionEndpoints, subnet, role, fn, rolePolicy(...serviceSide), endpoint("dynamodb", "Gateway"))).to.deep.equal([]);
        });
    });

    describe("vpc-interface-endpoint-https-only-from-groups", () => {
        const endpoint = view({
            type: "aws:ec2/vpcEndpoint:VpcEndpoint",
            region: EAST,
            props: { vpcEndpointType: "Interface", securityGroupIds: ["sg-endpoints"] },
        });
        const ingress = (props: Record<string, unknown>) =>
            view({
                type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                name: "rule",
                region: EAST,
                props: { securityGroupId: "sg-endpoints", ipProtocol: "tcp", fromPort: 443, toPort: 443, ...props },
            });

        it("flags an address range and a port other than 443 on an endpoint's group", async () => {
            expect(await messages(interfaceEndpointHttpsFromGroups, endpoint, ingress({ cidrIpv4: "10.0.0.0/8" }))).to.have.length(1);
            expect(
                await messages(interfaceEndpointHttpsFromGroups, endpoint, ingress({ referencedSecurityGroupId: "sg-fn", fromPort: 0, toPort: 65535 })),
            ).to.have.length(1);
        });

        it("passes 443 from the functions' group, and ignores groups that are not an endpoint's", async () => {
            expect(await messages(interfaceEndpointHttpsFromGroups, endpoint, ingress({ referencedSecurityGroupId: "sg-fn" }))).to.deep.equal([]);
            expect(
                await messages(
                    interfaceEndpointHttpsFromGroups,
                    endpoint,
                    ingress({ securityGroupId: "sg-db", cidrIpv4: "10.41.0.0/16", fromPort: 5432, toPort: 5432 }),
                ),
            ).to.deep.equal([]);
        });
    });

    describe("aurora-lag-alarms-in-milliseconds", () => {
        const alarm = (metricName: string, threshold: number, unit?: string, id = "ledger-primary-dev-abc") =>
            view({
                type: "aws:cloudwatch/metricAlarm:MetricAlarm",
                name: `${metricName}-alarm`,
                region: EAST,
                props: { namespace: "AWS/RDS", metricName, threshold, unit, dimensions: { DBClusterIdentifier: id } },
            });

        it("flags a threshold written in seconds, a unit other than Milliseconds, and a global member without both alarms", async () => {
            const seconds = await messages(
                auroraLagAlarmsInMilliseconds,
                cluster(),
                alarm("AuroraGlobalDBReplicationLag", 5),
                alarm("AuroraGlobalDBRPOLag", 150_000),
            );
            expect(seconds).to.have.length(1);
            expect(seconds[0]).to.include("that is 5 ms");
            expect(
                await messages(
                    auroraLagAlarmsInMilliseconds,
                    cluster(),
                    alarm("AuroraGlobalDBReplicationLag", 60_000, "Seconds"),
                    alarm("AuroraGlobalDBRPOLag", 150_000),
                ),
            ).to.have.length(1);
            const missing = await messages(
                auroraLagAlarmsInMilliseconds,
                cluster(),
                alarm("AuroraGlobalDBRPOLag", 150_000),
                alarm("AuroraGlobalDBReplicationLag", 60_000, "Milliseconds", "another-cluster"),
            );
            expect(missing).to.have.length(1);
            expect(missing[0]).to.include("no AuroraGlobalDBReplicationLag alarm");
        });

        it("passes both alarms in milliseconds on the member's identifier", async () => {
            expect(
                await messages(
                    auroraLagAlarmsInMilliseconds,
                    cluster(),
                    alarm("AuroraGlobalDBReplicationLag", 60_000, "Milliseconds"),
                    alarm("AuroraGlobalDBRPOLag", 150_000),
                ),
            ).to.deep.equal([]);
        });
    });
});
