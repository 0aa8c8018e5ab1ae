import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegionalDomain as CoreRegionalDomain, type ValidationRecord as CoreValidationRecord } from "../components";
import { AliasTarget, RegionRole, ValidationRecord } from "./args";
import { enumProblem, requireValid, typeToken } from "./arg-checks";

/** The args of a RegionalDomain, for every Pulumi language. */
export interface RegionalDomainArgs {
    /** `primary` or `secondary`: part of the regional name's records. */
    readonly role: RegionRole;
    /** The API's region, where the certificate and domains must live: the region of the aws provider passed in the resource options (checked). */
    readonly region: string;
    /** The name clients call, e.g. `api.payments.acme-pay.net`; served by whichever region DNS prefers. */
    readonly failoverFqdn: string;
    /** This region's own name, e.g. `primary.api.payments.acme-pay.net`: health checks probe it. */
    readonly regionalFqdn: string;
    /** The hosted zone that holds the validation and alias records. */
    readonly zoneId: pulumi.Input<string>;
    /** The region's HTTP API (a RegionalStack's `apiId`), mapped to both names. */
    readonly apiId: pulumi.Input<string>;
    /** The API stage the names map to (a RegionalStack's `stageName`). */
    readonly stageName: pulumi.Input<string>;
    /** The failover name's validation record, when another region's RegionalDomain already created it (pass its `failoverValidation`): ACM asks one record per name and account. Defaults to a record created here. */
    readonly sharedFailoverValidation?: pulumi.Input<ValidationRecord>;
}

/**
 * Lets HTTPS clients call the failover name in one region: an ACM certificate for the failover name and the
 * regional name, validated through DNS, a regional API Gateway custom domain for each name mapped to the
 * region's stage, and an alias record for the regional name. Pass the API region's aws provider in the
 * resource options (`providers`).
 */
export class RegionalDomain extends pulumi.ComponentResource {
    /** Target of this region's failover alias records. */
    public readonly failoverTarget: pulumi.Output<AliasTarget>;
    /** This region's own name. */
    public readonly regionalFqdn: pulumi.Output<string>;
    /** The validated certificate of both names. */
    public readonly certificateArn: pulumi.Output<string>;
    /** The failover name's validation record (created here or shared from another region). */
    public readonly failoverValidation: pulumi.Output<ValidationRecord>;

    constructor(name: string, args: RegionalDomainArgs, opts?: pulumi.ComponentResourceOptions) {
        requireValid(`RegionalDomain "${name}"`, [enumProblem("role", args.role, RegionRole)]);
        super(typeToken("RegionalDomain"), name, {}, opts);

        const shared = args.sharedFailoverValidation === undefined ? undefined : pulumi.output(args.sharedFailoverValidation);
        // The TypeScript component reads only the shared record's name, value and FQDN.
        const sharedRecord = shared && {
            name: shared.name,
            value: shared.value,
            record: { fqdn: shared.fqdn } as unknown as aws.route53.Record,
        };
        const domain = new CoreRegionalDomain(
            name,
            {
                role: args.role,
                region: args.region,
                failoverFqdn: args.failoverFqdn,
                regionalFqdn: args.regionalFqdn,
                zoneId: args.zoneId,
                apiId: args.apiId,
                stageName: args.stageName,
                sharedFailoverValidation: sharedRecord as CoreValidationRecord | undefined,
            },
            // The region check reads the aws provider from the options it is given: pass the caller's on.
            { parent: this, providers: opts?.providers, provider: opts?.provider },
        );
        this.failoverTarget = pulumi.output({ name: domain.failoverTarget.name, zoneId: domain.failoverTarget.zoneId });
        this.regionalFqdn = pulumi.output(domain.regionalFqdn);
        this.certificateArn = domain.certificateArn;
        const validation = domain.failoverValidation;
        this.failoverValidation = pulumi.output({ name: validation.name, value: validation.value, fqdn: validation.record.fqdn });
        this.registerOutputs({ failoverTarget: this.failoverTarget, certificateArn: this.certificateArn, failoverValidation: this.failoverValidation });
    }
}
