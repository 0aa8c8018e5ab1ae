import * as pulumi from "@pulumi/pulumi";

/**
 * The types the provider-facing components share, in the shapes Pulumi's schema analyzer accepts (string enums,
 * named interfaces, maps of strings): every language's SDK is generated from them. Each doc comment becomes the
 * schema's description, so each one is a sentence a Python or Go user can act on.
 */

/** Which region of the active-passive pair a component serves. */
export enum RegionRole {
    /** The active region: takes the payments while it is healthy. */
    Primary = "primary",
    /** The standby region: DNS sends the payments here when the primary fails. */
    Secondary = "secondary",
}

/** The deployment environment: decides the data-protection defaults and the functions' `APP_ENV`. */
export enum Environment {
    /** Development: data stores are not protected by default. */
    Dev = "dev",
    /** Staging: data stores are not protected by default. */
    Staging = "staging",
    /** Production: data stores are protected and retained by default. */
    Prod = "prod",
}

/** How callers of the transactions API authenticate. */
export enum ApiAuthMode {
    /** A JWT authorizer: the tenant is a claim of the token. */
    Jwt = "jwt",
    /** SigV4 (IAM): the tenant is found by the unique id of the role the caller assumed. */
    Iam = "iam",
}

/** The global table's multi-Region consistency, fixed when the table is created. */
export enum ConsistencyMode {
    /** Asynchronous replication, last writer wins; the handler detects cross-region conflicts. */
    Eventual = "eventual",
    /** Multi-Region strong consistency (MRSC) with a witness region: a write is acknowledged once a second region has it. */
    Strong = "strong",
}

/** How clients reach the failover name. */
export enum DomainMode {
    /** ACM certificates and API Gateway custom domains: HTTPS on the failover name. */
    CustomDomain = "custom-domain",
    /** CNAME records to the APIs' default endpoints only (no certificate for the failover name). */
    DnsOnly = "dns-only",
}

/** The record type of the failover name in custom-domain mode. */
export enum FailoverRecordType {
    /** A/AAAA alias records (they take their target's TTL). */
    Alias = "alias",
    /** CNAME records with `failoverRecordTtlSeconds`. */
    Cname = "cname",
}

/** How callers authenticate and where the tenant (merchant id) comes from. */
export interface ApiAuth {
    /** `jwt` (a JWT authorizer) or `iam` (SigV4 with tenant roles). */
    readonly mode: ApiAuthMode;
    /** jwt: the token issuer (`iss`), an https URL; API Gateway fetches its keys from `<issuer>/.well-known/openid-configuration`. Required in jwt mode. */
    readonly issuer?: string;
    /** jwt: the accepted `aud` (or `client_id`) values, at least one. Required in jwt mode. */
    readonly audiences?: string[];
    /** jwt: the claim whose value is the tenant (merchant id). Required in jwt mode. */
    readonly tenantClaim?: string;
    /** jwt: the scope `POST /transactions` requires. Defaults to `transactions:write`. */
    readonly writeScope?: string;
    /** jwt: the scope `GET /transactions/{id}` requires. Defaults to `transactions:read`. */
    readonly readScope?: string;
    /** iam: role unique id (`AROA…`) to merchant id, the only roles that are tenants. Defaults to none: every caller is refused (403) until one is mapped. */
    readonly tenantRoles?: Record<string, string>;
}

/** A token bucket: a sustained rate and a burst. */
export interface MerchantLimit {
    /** Requests per second each merchant may sustain, per execution environment. */
    readonly ratePerSecond: number;
    /** Requests each merchant may send at once, per execution environment. */
    readonly burst: number;
}

/** The transaction-id key, the id migration window and the per-merchant limit of the transaction processor. */
export interface ProcessorSecurity {
    /** Secret: base64 of at least 32 random bytes, the HMAC key of transaction ids, the same in both regions. Never change it once transactions exist. */
    readonly transactionIdKey: pulumi.Input<string>;
    /** YYYY-MM-DD: until the end of that day a POST first looks its key up under the pre-v3 (unkeyed) id. Defaults to no lookup. */
    readonly legacyTransactionIdsUntil?: string;
    /** Each merchant's token bucket per execution environment (429 `MERCHANT_RATE_LIMITED` above it). Defaults to no per-merchant limit. */
    readonly merchantLimit?: MerchantLimit;
}

/** The stage's default throttle for the transaction routes. */
export interface Throttle {
    /** Requests per second, an integer of at least 1. */
    readonly rateLimit: number;
    /** Burst, an integer of at least 1. */
    readonly burstLimit: number;
}

/** The takeover authority that fences a region's writes while it says the standby has taken over. */
export interface Fence {
    /** The takeover authority's table (in the standby region). */
    readonly tableName: pulumi.Input<string>;
    /** The standby region, where that table lives. */
    readonly region: string;
}

/** One value per payment-signal child of a region (the four signals its failover health check combines). */
export interface PaymentSignalValues {
    /** The handler's own failure share. */
    readonly handler: pulumi.Input<string>;
    /** The API's 5xx share. */
    readonly api5xx: pulumi.Input<string>;
    /** The processor's Lambda errors. */
    readonly lambdaErrors: pulumi.Input<string>;
    /** The processor's Lambda throttles. */
    readonly lambdaThrottles: pulumi.Input<string>;
}

/** One value per region of the pair. */
export interface RegionPair {
    /** The primary region's value. */
    readonly primary: pulumi.Input<string>;
    /** The secondary region's value. */
    readonly secondary: pulumi.Input<string>;
}

/** One set of payment-signal values per region of the pair. */
export interface PaymentSignalPair {
    /** The primary region's values. */
    readonly primary: PaymentSignalValues;
    /** The secondary region's values. */
    readonly secondary: PaymentSignalValues;
}

/** What a GlobalLayer needs from one region's RegionalStack: pass that stack's `wiring` output as it is. */
export interface RegionalStackWiring {
    /** The stack's region. */
    readonly region: pulumi.Input<string>;
    /** The account the stack deploys to. */
    readonly accountId: pulumi.Input<string>;
    /** The region's customer-managed KMS key. */
    readonly keyArn: pulumi.Input<string>;
    /** The documents bucket's name. */
    readonly bucketName: pulumi.Input<string>;
    /** The documents bucket's ARN. */
    readonly bucketArn: pulumi.Input<string>;
    /** The transaction processor's name. */
    readonly functionName: pulumi.Input<string>;
    /** The receipt finisher's ARN (attached to the region's table stream). */
    readonly finisherFunctionArn: pulumi.Input<string>;
    /** The receipt finisher's on-failure queue. */
    readonly dlqArn: pulumi.Input<string>;
    /** The region's HTTP API. */
    readonly apiId: pulumi.Input<string>;
    /** The API's stage. */
    readonly stageName: pulumi.Input<string>;
    /** Host name of the API's default endpoint. */
    readonly apiHost: pulumi.Input<string>;
    /** The region's alarm topic. */
    readonly topicArn: pulumi.Input<string>;
    /** The region's payment-signal alarm names. */
    readonly paymentSignalAlarmNames: PaymentSignalValues;
}

/** The global table's consistency. */
export interface Consistency {
    /** `strong` (MRSC, with a witness region) or `eventual`. Fixed when the table is created. */
    readonly mode: ConsistencyMode;
    /** strong: the witness region, a third region of the primary's MRSC Region set. Required in strong mode. */
    readonly witnessRegion?: string;
}

/** The table's warm throughput at creation. */
export interface WarmThroughput {
    /** Write units per second. */
    readonly writeUnitsPerSecond: number;
    /** Read units per second. Defaults to DynamoDB's. */
    readonly readUnitsPerSecond?: number;
}

/** The CloudWatch signal the DR scripts set, clear and read to take over. */
export interface TakeoverSignal {
    /** The region of the metric and its alarm. */
    readonly region: string;
    /** The metric's namespace. */
    readonly namespace: string;
    /** The metric's name. */
    readonly metricName: string;
    /** The metric's dimensions. */
    readonly dimensions: Record<string, string>;
    /** The takeover alarm's name. */
    readonly alarmName: string;
    /** The takeover alarm's ARN. */
    readonly alarmArn: string;
    /** The alarm's period, in seconds. */
    readonly periodSeconds: number;
}

/** Where an alias record for one of the custom domains points. */
export interface AliasTarget {
    /** The target domain name (the API Gateway regional domain). */
    readonly name: pulumi.Input<string>;
    /** The target's hosted zone id. */
    readonly zoneId: pulumi.Input<string>;
}

/** A DNS validation record and what ACM asked it to contain. */
export interface ValidationRecord {
    /** The record's name, as ACM asked. */
    readonly name: pulumi.Input<string>;
    /** The record's value, as ACM asked. */
    readonly value: pulumi.Input<string>;
    /** The record's FQDN, once created. */
    readonly fqdn: pulumi.Input<string>;
}
