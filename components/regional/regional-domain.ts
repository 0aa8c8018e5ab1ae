import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkProviderRegion } from "../shared/provider-region";
import { RegionRole } from "../shared/naming";

export interface RegionalDomainArgs {
    /** `primary` or `secondary`: part of the regional name's records. */
    readonly role: RegionRole;
    /** The API's region, where the certificate and domains must live. Note: must be its provider's region. */
    readonly region: string;
    /** The name clients call, e.g. `api.payments.acme-pay.net`; served by whichever region DNS prefers. */
    readonly failoverFqdn: string;
    /** This region's own name, e.g. `primary.api.payments.acme-pay.net`: health checks probe it. */
    readonly regionalFqdn: string;
    /** The hosted zone that holds the validation and alias records. */
    readonly zoneId: pulumi.Input<string>;
    /** The region's HTTP API, mapped to both names. */
    readonly apiId: pulumi.Input<string>;
    /** The API stage the names map to. */
    readonly stageName: pulumi.Input<string>;
    /**
     * The failover name's validation record, when another region's `RegionalDomain` already created it.
     * Note: ACM gives one validation record per name and account, the same in every region, so only one
     * resource may own it; the certificate here is checked to ask for exactly that record.
     * @default - this component creates it
     */
    readonly sharedFailoverValidation?: ValidationRecord;
}

/** A DNS validation record and what ACM asked it to contain. */
export interface ValidationRecord {
    readonly record: aws.route53.Record;
    readonly name: pulumi.Output<string>;
    readonly value: pulumi.Output<string>;
}

/**
 * The shared record's FQDN, after checking that ACM asks this region's certificate for exactly that record.
 * Throws otherwise, so `pulumi up` fails with the reason instead of waiting for a validation that never comes.
 */
export function checkedSharedValidation(
    region: string,
    domain: string,
    asked: { resourceRecordName: string; resourceRecordValue: string },
    shared: { name: string; value: string; fqdn: string },
): string {
    if (asked.resourceRecordName !== shared.name || asked.resourceRecordValue !== shared.value) {
        throw new Error(
            `ACM in ${region} asks for validation record ${asked.resourceRecordName} = ${asked.resourceRecordValue} for ` +
                `${domain}, not the shared ${shared.name} = ${shared.value}; give this region its own record`,
        );
    }
    return shared.fqdn;
}

/** Where an alias record for one of the custom domains points. */
export interface AliasTarget {
    readonly name: pulumi.Output<string>;
    readonly zoneId: pulumi.Output<string>;
}

/**
 * Lets HTTPS clients call the failover name in one region: an ACM certificate for the failover name and the
 * regional name, validated through DNS records in the stack's zone (the validation waits for issuance), a
 * regional API Gateway custom domain (TLS 1.2) for each name mapped to the region's stage, and an alias record
 * for the regional name. Certificate and domains must live in the API's region: pass that region's provider
 * as `{ providers: { aws } }`.
 */
export class RegionalDomain extends pulumi.ComponentResource {
    /** Target of this region's failover alias records. */
    public readonly failoverTarget: AliasTarget;
    public readonly regionalFqdn: string;
    public readonly certificateArn: pulumi.Output<string>;
    /** The failover name's validation record (created here or shared from another region). */
    public readonly failoverValidation: ValidationRecord;

    constructor(name: string, args: RegionalDomainArgs, opts?: pulumi.ComponentResourceOptions) {
        // Shipped as payments-dr:index:RegionalDomain (issue 22 moved it): the alias keeps existing stacks' resources.
        super("payments-dr:regional:RegionalDomain", name, {}, { ...opts, aliases: [{ type: "payments-dr:index:RegionalDomain" }, ...(opts?.aliases ?? [])] });
        // Its region must be its provider's: fails the deployment otherwise.
        checkProviderRegion(`RegionalDomain "${name}"`, args.region, opts);
        const parent = { parent: this };
        const domains = { failover: args.failoverFqdn, regional: args.regionalFqdn };

        const certificate = new aws.acm.Certificate(
            `${name}-certificate`,
            { domainName: domains.failover, subjectAlternativeNames: [domains.regional], validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
            parent,
        );
        // One validation record per name, keyed by the name (known now), not by the position ACM returns it in.
        const optionFor = (domain: string) =>
            certificate.domainValidationOptions.apply((options) => {
                const found = options.find((o) => o.domainName === domain);
                if (!found) {
                    throw new Error(`ACM returned no DNS validation option for ${domain}`);
                }
                return found;
            });
        const createRecord = (key: string, domain: string): ValidationRecord => {
            const option = optionFor(domain);
            const record = new aws.route53.Record(
                `${name}-validation-${key}`,
                {
                    zoneId: args.zoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 300,
                    // Survives a record left behind by an earlier stack of the same domain.
                    allowOverwrite: true,
                },
                parent,
            );
            return { record, name: option.resourceRecordName, value: option.resourceRecordValue };
        };
        const regionalValidation = createRecord("regional", domains.regional);
        let failoverValidationFqdn: pulumi.Output<string>;
        if (args.sharedFailoverValidation) {
            const shared = args.sharedFailoverValidation;
            // Fail the deployment loudly rather than wait forever for a record nobody created.
            failoverValidationFqdn = pulumi
                .all([optionFor(domains.failover), shared.name, shared.value, shared.record.fqdn])
                .apply(([option, sharedName, sharedValue, fqdn]) =>
                    checkedSharedValidation(args.region, domains.failover, option, { name: sharedName, value: sharedValue, fqdn }),
                );
            this.failoverValidation = shared;
        } else {
            this.failoverValidation = createRecord("failover", domains.failover);
            failoverValidationFqdn = this.failoverValidation.record.fqdn;
        }
        const validation = new aws.acm.CertificateValidation(
            `${name}-certificate-validation`,
            { certificateArn: certificate.arn, validationRecordFqdns: [failoverValidationFqdn, regionalValidation.record.fqdn] },
            parent,
        );

        const custom = Object.fromEntries(
            Object.entries(domains).map(([key, domain]) => {
                const domainName = new aws.apigatewayv2.DomainName(
                    `${name}-domain-${key}`,
                    {
                        domainName: domain,
                        domainNameConfiguration: {
                            certificateArn: validation.certificateArn,
                            endpointType: "REGIONAL",
                            securityPolicy: "TLS_1_2",
                            ipAddressType: "dualstack",
                        },
                    },
                    parent,
                );
                new aws.apigatewayv2.ApiMapping(`${name}-mapping-${key}`, { apiId: args.apiId, domainName: domainName.id, stage: args.stageName }, parent);
                return [key, domainName];
            }),
        ) as Record<keyof typeof domains, aws.apigatewayv2.DomainName>;

        const targetOf = (d: aws.apigatewayv2.DomainName): AliasTarget => ({
            name: d.domainNameConfiguration.targetDomainName.apply((t) => t!),
            zoneId: d.domainNameConfiguration.hostedZoneId.apply((z) => z!),
        });
        const regionalTarget = targetOf(custom.regional);
        for (const type of ["A", "AAAA"]) {
            new aws.route53.Record(
                `${name}-regional-${type.toLowerCase()}`,
                {
                    zoneId: args.zoneId,
                    name: domains.regional,
                    type,
                    aliases: [{ name: regionalTarget.name, zoneId: regionalTarget.zoneId, evaluateTargetHealth: false }],
                },
                parent,
            );
        }

        this.failoverTarget = targetOf(custom.failover);
        this.regionalFqdn = domains.regional;
        this.certificateArn = validation.certificateArn;
        this.registerOutputs({ regionalFqdn: this.regionalFqdn, certificateArn: this.certificateArn, failoverTarget: this.failoverTarget });
    }
}
