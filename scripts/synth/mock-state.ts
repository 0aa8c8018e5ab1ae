import * as crypto from "crypto";

/** The account every mocked ARN belongs to. */
export const MOCK_ACCOUNT_ID = "123456789012";

/** The name servers of every zone the mock creates. */
export const MOCK_ZONE_NAME_SERVERS = ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"] as const;

/** A short stable hex id derived from a resource's identity, so repeated runs give identical plans. */
export function stableId(...parts: string[]): string {
    return crypto.createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 10);
}

type Inputs = Record<string, any>;

/**
 * The attributes AWS computes for a resource (ARNs, ids, endpoints), as the real provider would return them
 * for `region`. Without them, inputs built from other resources' outputs would silently be undefined.
 */
export function computedState(type: string, name: string, inputs: Inputs, region: string, partition = "aws"): { id: string; state: Inputs } {
    const account = MOCK_ACCOUNT_ID;
    const hex = stableId(type, name, region);
    const state: Inputs = { ...inputs };
    let id = `${name}-${hex}`;
    const arn = (service: string, resource: string, regional = true) =>
        `arn:${partition}:${service}:${regional ? region : ""}:${regional ? account : ""}:${resource}`;

    switch (type) {
        case "random:index/randomString:RandomString": {
            const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            const bytes = crypto.createHash("sha256").update(`random:${name}`).digest();
            state.result = Array.from({ length: inputs.length ?? 6 }, (_, i) => alphabet[bytes[i] % alphabet.length]).join("");
            id = state.result;
            break;
        }
        case "random:index/randomBytes:RandomBytes": {
            // Deterministic stand-in bytes (never a real key): the provider marks base64 and hex secret.
            const bytes = crypto
                .createHash("sha512")
                .update(`random-bytes:${name}`)
                .digest()
                .subarray(0, inputs.length ?? 32);
            Object.assign(state, { base64: bytes.toString("base64"), hex: bytes.toString("hex") });
            id = `${name}-${hex}`;
            break;
        }
        case "random:index/randomPassword:RandomPassword":
            // Never a real password: the mock only needs a value of the right length.
            state.result = "x".repeat(inputs.length ?? 16);
            id = "none";
            break;
        case "aws:secretsmanager/secret:Secret":
            // Secrets Manager appends a hyphen and six random characters to the name.
            Object.assign(state, { arn: arn("secretsmanager", `secret:${inputs.name}-${hex.slice(0, 6)}`) });
            id = state.arn;
            break;
        case "pulumi-nodejs:dynamic/payments-dr:ReplicaStream":
            // components/global/replica-stream.ts: the replica's stream, read in its own region.
            state.streamArn = `arn:${partition}:dynamodb:${inputs.region}:${account}:table/${inputs.tableName}/stream/2026-01-01T00:00:00.000`;
            id = `${inputs.region}/${inputs.tableName}`;
            break;
        case "aws:kms/key:Key": {
            const keyId = `${hex.slice(0, 8)}-0000-4000-8000-${hex}00`;
            Object.assign(state, { keyId, arn: arn("kms", `key/${keyId}`) });
            id = keyId;
            break;
        }
        case "aws:kms/alias:Alias":
            Object.assign(state, { arn: arn("kms", inputs.name), targetKeyArn: arn("kms", `key/${inputs.targetKeyId}`) });
            id = inputs.name;
            break;
        case "aws:s3/bucket:Bucket": {
            const bucket = inputs.bucket ?? `${name}-${hex}`;
            Object.assign(state, {
                bucket,
                arn: `arn:${partition}:s3:::${bucket}`,
                region,
                bucketDomainName: `${bucket}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
                hostedZoneId: "Z3AQBSTGFYJSTF",
            });
            id = bucket;
            break;
        }
        case "aws:sqs/queue:Queue":
            Object.assign(state, {
                arn: arn("sqs", inputs.name),
                url: `https://sqs.${region}.amazonaws.com/${account}/${inputs.name}`,
            });
            id = state.url;
            break;
        case "aws:sns/topic:Topic":
            Object.assign(state, { arn: arn("sns", inputs.name) });
            id = state.arn;
            break;
        case "aws:cloudwatch/logGroup:LogGroup":
            Object.assign(state, { arn: arn("logs", `log-group:${inputs.name}`) });
            id = inputs.name;
            break;
        case "aws:iam/role:Role":
            Object.assign(state, { arn: `arn:${partition}:iam::${account}:role/${inputs.name}`, uniqueId: `AROA${hex.toUpperCase()}` });
            id = inputs.name;
            break;
        case "aws:iam/policy:Policy":
            Object.assign(state, { arn: `arn:${partition}:iam::${account}:policy/${inputs.name ?? name}` });
            id = state.arn;
            break;
        case "aws:lambda/function:Function": {
            const fnArn = arn("lambda", `function:${inputs.name}`);
            Object.assign(state, {
                arn: fnArn,
                qualifiedArn: `${fnArn}:$LATEST`,
                invokeArn: `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
                version: "$LATEST",
            });
            id = inputs.name;
            break;
        }
        case "aws:apigatewayv2/api:Api": {
            const apiId = hex.slice(0, 10);
            Object.assign(state, {
                apiEndpoint: `https://${apiId}.execute-api.${region}.amazonaws.com`,
                executionArn: arn("execute-api", apiId),
                arn: `arn:${partition}:apigateway:${region}::/apis/${apiId}`,
            });
            id = apiId;
            break;
        }
        case "aws:apigatewayv2/stage:Stage":
            Object.assign(state, {
                invokeUrl: `https://${inputs.apiId}.execute-api.${region}.amazonaws.com/`,
                arn: `arn:${partition}:apigateway:${region}::/apis/${inputs.apiId}/stages/${inputs.name}`,
            });
            id = inputs.name;
            break;
        case "aws:apigatewayv2/domainName:DomainName": {
            const target = `d-${hex}.execute-api.${region}.amazonaws.com`;
            const configuration = inputs.domainNameConfiguration ?? {};
            Object.assign(state, {
                arn: `arn:${partition}:apigateway:${region}::/domainnames/${inputs.domainName}`,
                domainNameConfiguration: { ...configuration, targetDomainName: target, hostedZoneId: `ZREGIONAL${region.replace(/-/g, "").toUpperCase()}` },
            });
            id = inputs.domainName;
            break;
        }
        case "aws:acm/certificate:Certificate": {
            const domains: string[] = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])];
            Object.assign(state, {
                arn: arn("acm", `certificate/${hex}`),
                domainValidationOptions: domains.map((domain) => ({
                    domainName: domain,
                    resourceRecordName: `_${stableId(domain)}.${domain}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${stableId("value", domain)}.acm-validations.aws.`,
                })),
            });
            id = state.arn;
            break;
        }
        case "aws:acm/certificateValidation:CertificateValidation":
            id = inputs.certificateArn;
            break;
        case "aws:dynamodb/table:Table":
            Object.assign(state, {
                arn: arn("dynamodb", `table/${inputs.name}`),
                streamArn: arn("dynamodb", `table/${inputs.name}/stream/2026-01-01T00:00:00.000`),
                streamLabel: "2026-01-01T00:00:00.000",
                replicas: (inputs.replicas ?? []).map((r: Inputs) => ({
                    ...r,
                    arn: `arn:${partition}:dynamodb:${r.regionName}:${account}:table/${inputs.name}`,
                    streamArn: `arn:${partition}:dynamodb:${r.regionName}:${account}:table/${inputs.name}/stream/2026-01-01T00:00:00.000`,
                })),
            });
            id = inputs.name;
            break;
        case "aws:route53/zone:Zone":
            id = `Z${hex.toUpperCase()}ABCDEF`;
            Object.assign(state, {
                zoneId: id,
                arn: `arn:${partition}:route53:::hostedzone/${id}`,
                nameServers: [...MOCK_ZONE_NAME_SERVERS],
            });
            break;
        case "aws:route53/healthCheck:HealthCheck":
            id = `${hex.slice(0, 8)}-1111-4222-8333-${hex}aa`;
            Object.assign(state, { arn: `arn:${partition}:route53:::healthcheck/${id}` });
            break;
        case "aws:route53/record:Record":
            id = `${inputs.zoneId}_${inputs.name}_${inputs.type}${inputs.setIdentifier ? `_${inputs.setIdentifier}` : ""}`;
            Object.assign(state, { fqdn: inputs.name });
            break;
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            Object.assign(state, { arn: arn("cloudwatch", `alarm:${inputs.name}`) });
            id = inputs.name;
            break;
        case "aws:cloudwatch/dashboard:Dashboard":
            Object.assign(state, { dashboardArn: `arn:${partition}:cloudwatch::${account}:dashboard/${inputs.dashboardName}` });
            id = inputs.dashboardName;
            break;
        case "aws:arcregionswitch/plan:Plan":
            // Plans are global: arn:<partition>:arc-region-switch::<account>:plan/<id>.
            id = `${inputs.name}-${hex}`;
            Object.assign(state, { arn: `arn:${partition}:arc-region-switch::${account}:plan/${id}` });
            break;
        case "aws:fis/experimentTemplate:ExperimentTemplate":
            // Template ids are EXT plus letters and digits.
            id = `EXT${hex}`;
            Object.assign(state, { arn: arn("fis", `experiment-template/${id}`) });
            break;
        case "aws:s3/bucketReplicationConfig:BucketReplicationConfig":
            id = inputs.bucket;
            break;
        // The relational ledger (VPC mode): ids and ARNs the real provider returns.
        case "aws:ec2/vpc:Vpc":
            id = `vpc-${hex}`;
            Object.assign(state, { arn: arn("ec2", `vpc/${id}`), defaultRouteTableId: `rtb-${hex}d` });
            break;
        case "aws:ec2/subnet:Subnet":
            id = `subnet-${hex}`;
            Object.assign(state, { arn: arn("ec2", `subnet/${id}`) });
            break;
        case "aws:ec2/securityGroup:SecurityGroup":
            id = `sg-${hex}`;
            Object.assign(state, { arn: arn("ec2", `security-group/${id}`) });
            break;
        case "aws:ec2/routeTable:RouteTable":
            id = `rtb-${hex}`;
            break;
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            id = `vpce-${hex}`;
            Object.assign(state, { arn: arn("ec2", `vpc-endpoint/${id}`) });
            break;
        case "aws:ec2/vpcPeeringConnection:VpcPeeringConnection":
            id = `pcx-${hex}`;
            break;
        case "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
            id = inputs.vpcPeeringConnectionId;
            break;
        case "aws:rds/globalCluster:GlobalCluster":
            id = inputs.globalClusterIdentifier;
            Object.assign(state, {
                arn: `arn:${partition}:rds::${account}:global-cluster:${id}`,
                endpoint: `${id}.global-${hex}.global.rds.amazonaws.com`,
                globalClusterResourceId: `cluster-${hex}`,
            });
            break;
        case "aws:rds/cluster:Cluster":
            id = inputs.clusterIdentifier;
            Object.assign(state, {
                arn: arn("rds", `cluster:${id}`),
                clusterResourceId: `cluster-${hex.toUpperCase()}`,
                endpoint: `${id}.cluster-${hex}.${region}.rds.amazonaws.com`,
                readerEndpoint: `${id}.cluster-ro-${hex}.${region}.rds.amazonaws.com`,
                masterUserSecrets: inputs.manageMasterUserPassword
                    ? [
                          {
                              secretArn: arn("secretsmanager", `secret:rds!cluster-${hex}-AbCdEf`),
                              kmsKeyId: inputs.masterUserSecretKmsKeyId,
                              secretStatus: "active",
                          },
                      ]
                    : [],
            });
            break;
        case "aws:rds/clusterInstance:ClusterInstance":
            id = inputs.identifier;
            Object.assign(state, { arn: arn("rds", `db:${id}`), endpoint: `${id}.${hex}.${region}.rds.amazonaws.com` });
            break;
        case "aws:rds/subnetGroup:SubnetGroup":
        case "aws:rds/clusterParameterGroup:ClusterParameterGroup":
            id = inputs.name;
            Object.assign(state, { arn: arn("rds", `${type.includes("subnet") ? "subgrp" : "cluster-pg"}:${inputs.name}`) });
            break;
        case "aws:lambda/eventSourceMapping:EventSourceMapping":
            id = `${hex.slice(0, 8)}-2222-4333-8444-${hex}bb`;
            Object.assign(state, { uuid: id, arn: arn("lambda", `event-source-mapping:${id}`) });
            break;
        case "aws:lambda/invocation:Invocation":
            id = `${inputs.functionName}_$LATEST_${stableId(inputs.input ?? "")}`;
            Object.assign(state, { result: JSON.stringify({ applied: [], current: 0 }) });
            break;
        case "aws:backup/vault:Vault":
            Object.assign(state, { arn: arn("backup", `backup-vault:${inputs.name}`), recoveryPoints: 0 });
            id = inputs.name;
            break;
        case "aws:backup/plan:Plan":
            id = `${hex.slice(0, 8)}-aaaa-4bbb-8ccc-${hex}dd`;
            Object.assign(state, { arn: arn("backup", `backup-plan:${id}`), version: "v1" });
            break;
        case "aws:cloudwatch/eventRule:EventRule":
            Object.assign(state, { arn: arn("events", `rule/${inputs.name}`) });
            id = inputs.name;
            break;
        case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
            Object.assign(state, { arn: arn("firehose", `deliverystream/${inputs.name}`) });
            id = state.arn;
            break;
        case "aws:ssm/parameter:Parameter":
            Object.assign(state, { arn: arn("ssm", `parameter${inputs.name}`) });
            id = inputs.name;
            break;
        default:
            if (inputs.name !== undefined && typeof inputs.name === "string") {
                state.arn = state.arn ?? arn(type.split(":")[1].split("/")[0], inputs.name);
            }
    }
    return { id, state };
}

/** Results of the data sources the program calls (`aws.getCallerIdentity`, ...), for `region`. */
/** The account in the mocked FIS extension layer ARNs (AWS publishes the layer from its own accounts). */
export const MOCK_FIS_LAYER_ACCOUNT = "211125607513";

export function invokeResult(token: string, inputs: Inputs, region: string, partition = "aws"): Record<string, unknown> {
    switch (token) {
        case "aws:route53/getZone:getZone":
            return {
                id: inputs.zoneId,
                zoneId: inputs.zoneId,
                name: inputs.name ?? "existing-zone.acme-pay.net",
                arn: `arn:${partition}:route53:::hostedzone/${inputs.zoneId}`,
                nameServers: ["ns-11.awsdns-11.org", "ns-12.awsdns-12.co.uk", "ns-13.awsdns-13.com", "ns-14.awsdns-14.net"],
                privateZone: false,
                resourceRecordSetCount: 2,
            };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT_ID, arn: `arn:${partition}:iam::${MOCK_ACCOUNT_ID}:user/deployer`, userId: "AIDADEPLOYER", id: MOCK_ACCOUNT_ID };
        case "aws:index/getPartition:getPartition":
            return partition === "aws-cn"
                ? { partition, dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws", id: partition }
                : { partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: partition };
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const names = ["a", "b", "c", "d"].map((letter) => `${region}${letter}`);
            return { id: region, names, zoneIds: names.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`), state: "available" };
        }
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
        case "aws:ssm/getParameter:getParameter": {
            // The public parameters the program reads: the AWS FIS Lambda extension's layer version per region.
            const value = String(inputs.name).startsWith("/aws/service/fis/lambda-extension/")
                ? `arn:${partition}:lambda:${region}:${MOCK_FIS_LAYER_ACCOUNT}:layer:aws-fis-extension-arm64:9`
                : `mock-value-of-${inputs.name}`;
            return {
                id: inputs.name,
                name: inputs.name,
                arn: `arn:${partition}:ssm:${region}::parameter${inputs.name}`,
                type: "String",
                value,
                version: 1,
                insecureValue: value,
            };
        }
        case "aws:rds/getEngineVersion:getEngineVersion": {
            // The default minor of the requested family's major (or the exact version asked for).
            const version = inputs.version ?? `${String(inputs.parameterGroupFamily ?? "aurora-postgresql16").replace(/\D+/g, "")}.9`;
            return {
                id: version,
                engine: inputs.engine,
                version,
                versionActual: version,
                parameterGroupFamily: `${inputs.engine}${version.split(".")[0]}`,
                status: "available",
                supportsGlobalDatabases: true,
            };
        }
        default:
            throw new Error(`the mocked runtime has no result for data source ${token}; add it to scripts/synth/mock-state.ts`);
    }
}
