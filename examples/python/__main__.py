"""Both regions and the global layer of payments-dr, from Python, through the component package.

Once, in this folder: `pulumi package add ../../provider` (after `npm ci` at the repository's root), or the
repository's Git URL (docs/other-languages.md). It generates the `pulumi_payments_dr` SDK under sdks/ and
records the package in Pulumi.yaml. Config: `pulumi config set domainName payments.acme-corp.io`, `jwtIssuer`,
`jwtAudience`, `nameSuffix` (six lowercase letters or digits, once per stack) and
`pulumi config set --secret transactionIdKey $(openssl rand -base64 32)`.
"""

import pulumi
import pulumi_aws as aws
import pulumi_payments_dr as payments_dr

config = pulumi.Config()
environment = config.get("environment") or "dev"
regions = {"primary": config.get("primaryRegion") or "us-east-1", "secondary": config.get("secondaryRegion") or "us-west-2"}
suffix = config.require("nameSuffix")
table_name = f"transactions-table-{environment}-{suffix}"

stacks = {}
for role in (payments_dr.RegionRole.PRIMARY, payments_dr.RegionRole.SECONDARY):
    # Every AWS resource of a region goes through that region's provider.
    provider = aws.Provider(f"aws-{role.value}", region=regions[role.value])
    stacks[role.value] = payments_dr.RegionalStack(
        role.value,
        role=role,
        region=regions[role.value],
        environment=payments_dr.Environment(environment),
        env_label=environment,
        name_suffix=suffix,
        table_name=table_name,
        api_auth=payments_dr.ApiAuthArgs(
            mode=payments_dr.ApiAuthMode.JWT,
            issuer=config.require("jwtIssuer"),
            audiences=[config.require("jwtAudience")],
            tenant_claim="merchant_id",
        ),
        processor_security=payments_dr.ProcessorSecurityArgs(transaction_id_key=config.require_secret("transactionIdKey")),
        consistency_mode=payments_dr.ConsistencyMode.EVENTUAL,
        throttle=payments_dr.ThrottleArgs(rate_limit=200, burst_limit=400),
        opts=pulumi.ResourceOptions(providers={"aws": provider}),
    )

# The layer takes each stack's wiring (and its secret probe path) and deploys through providers of its own.
global_layer = payments_dr.GlobalLayer(
    "global",
    environment=payments_dr.Environment(environment),
    env_label=environment,
    name_suffix=suffix,
    table_name=table_name,
    primary_region=regions["primary"],
    secondary_region=regions["secondary"],
    primary=stacks["primary"].wiring,
    secondary=stacks["secondary"].wiring,
    health_probe_paths=payments_dr.RegionPairArgs(primary=stacks["primary"].health_probe_path, secondary=stacks["secondary"].health_probe_path),
    consistency=payments_dr.ConsistencyArgs(mode=payments_dr.ConsistencyMode.EVENTUAL),
    domain_name=config.require("domainName"),
    domain_mode=payments_dr.DomainMode.DNS_ONLY,
)

pulumi.export("failoverName", global_layer.failover_fqdn)
pulumi.export("apiEndpoints", {"primary": stacks["primary"].api_endpoint, "secondary": stacks["secondary"].api_endpoint})
pulumi.export("tableArn", global_layer.table_arn)
