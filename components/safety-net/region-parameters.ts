import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DomainMode } from "../global/failover-dns";
import { otherRole, REGION_ROLES, RegionRole } from "../shared/naming";
import type { RegionalStack } from "../regional/regional-stack";

/** The settings the parameters are built from (a program of its own passes just these). */
export interface RegionParameterSettings {
    readonly envLabel: string;
    /** An existing hosted zone of the domain, when the stack uses one. */
    readonly hostedZoneId?: string;
    /** Whether the stack's own zone has been delegated (custom domains are served once it is). */
    readonly zoneDelegated: boolean;
    readonly domainMode: DomainMode;
    /** The failover name clients call. */
    readonly failoverFqdn: string;
    /** The alarm e-mail address, stored as a SecureString. */
    readonly alarmEmail?: string;
}

/** The root of a stack's parameter tree in each region, e.g. `/payments-dr/prod/`. */
export function parameterRoot(settings: { readonly envLabel: string }): string {
    return `/payments-dr/${settings.envLabel}/`;
}

/** The regional custom domain clients of one region can call, when the stack serves custom domains. */
export function regionalDomain(settings: RegionParameterSettings, role: RegionRole): string | undefined {
    const zoneReady = settings.hostedZoneId !== undefined || settings.zoneDelegated;
    return settings.domainMode === "custom-domain" && zoneReady ? `${role}.${settings.failoverFqdn}` : undefined;
}

export interface RegionParameter {
    /** Path below the root, e.g. `table-name` or `peer/api-endpoint`. */
    readonly key: string;
    readonly value: pulumi.Input<string>;
    /** Stored as a SecureString with the region's key. */
    readonly secure?: boolean;
}

/** What one region publishes about itself (`<key>`) and about the other region (`peer/<key>`). */
export function regionParameters(
    settings: RegionParameterSettings,
    self: RegionalStack,
    peer: RegionalStack,
    tableName: pulumi.Input<string>,
): RegionParameter[] {
    const describe = (s: RegionalStack, prefix: string): RegionParameter[] => {
        const domain = regionalDomain(settings, s.role);
        return [
            { key: `${prefix}role`, value: s.role },
            { key: `${prefix}region`, value: s.region },
            { key: `${prefix}api-endpoint`, value: s.apiEndpoint },
            ...(domain ? [{ key: `${prefix}custom-domain`, value: domain }] : []),
            { key: `${prefix}table-name`, value: tableName },
            { key: `${prefix}bucket-name`, value: s.bucketName },
            { key: `${prefix}key-alias`, value: s.keyAlias },
            { key: `${prefix}topic-arn`, value: s.topicArn },
        ];
    };
    return [
        ...describe(self, ""),
        { key: "failover-name", value: settings.failoverFqdn },
        // The on-call address is personal data: encrypted, readable only with the region's key through SSM.
        ...(settings.alarmEmail ? [{ key: "alarm-email", value: settings.alarmEmail, secure: true }] : []),
        ...describe(peer, "peer/"),
    ];
}

export interface RegionParametersArgs {
    /** What the parameters record of the stack (names, domain, on-call address). */
    readonly settings: RegionParameterSettings;
    readonly stacks: Readonly<Record<RegionRole, RegionalStack>>;
    readonly providers: Readonly<Record<RegionRole, aws.Provider>>;
    readonly tableName: pulumi.Input<string>;
}

/**
 * SSM parameters in each region under `/payments-dr/<env>/`: where this region's API, table, bucket, key and
 * topic are, and the other region's. For runbooks and other services; the handler reads its environment instead.
 */
export class RegionParameters extends pulumi.ComponentResource {
    /** Parameter names by region role. */
    public readonly names: Record<RegionRole, string[]>;

    constructor(name: string, args: RegionParametersArgs, opts?: pulumi.ComponentResourceOptions) {
        // Shipped as payments-dr:index:RegionParameters (issue 22 moved it): the alias keeps existing stacks' resources.
        super(
            "payments-dr:safety-net:RegionParameters",
            name,
            {},
            { ...opts, aliases: [{ type: "payments-dr:index:RegionParameters" }, ...(opts?.aliases ?? [])] },
        );
        const { settings, stacks } = args;
        const root = parameterRoot(settings);
        this.names = { primary: [], secondary: [] };
        for (const role of REGION_ROLES) {
            const peer = stacks[otherRole(role)];
            for (const p of regionParameters(settings, stacks[role], peer, args.tableName)) {
                const parameterName = `${root}${p.key}`;
                new aws.ssm.Parameter(
                    `${name}-${role}-${p.key.replace(/\//g, "-")}`,
                    {
                        name: parameterName,
                        type: p.secure ? "SecureString" : "String",
                        value: p.value,
                        keyId: p.secure ? stacks[role].keyArn : undefined,
                        tier: "Standard",
                        description: `payments-dr ${settings.envLabel} (${role}, ${stacks[role].region})`,
                    },
                    { parent: this, provider: args.providers[role] },
                );
                this.names[role].push(parameterName);
            }
        }
        this.registerOutputs({ names: this.names });
    }
}
