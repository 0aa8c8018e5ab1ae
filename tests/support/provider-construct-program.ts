/**
 * A program for the mocked runtime that builds every provider-facing component the way the Pulumi engine has the
 * component package build it: through the provider's `construct(name, type, inputs, options)`, with the inputs a
 * generated SDK sends (secrets as secret Outputs, one component's outputs as the next one's inputs) and the
 * caller's aws provider in the options. Exports each component's URN and its resolved state.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { typeToken } from "../../provider/arg-checks";
import { componentProvider } from "./component-provider";

export const REGIONS = { primary: "us-east-1", secondary: "us-west-2" } as const;
type Role = keyof typeof REGIONS;

/** The value of every Output in a construct's state (undefined stays undefined). */
async function resolved(state: Record<string, unknown>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(state)) {
        out[key] = pulumi.Output.isInstance(value) ? await new Promise((done) => (value as pulumi.Output<unknown>).apply(done)) : value;
    }
    return out;
}

export const constructed = (async () => {
    const { provider } = await componentProvider();
    const providers = {
        primary: new aws.Provider("consumer-primary", { region: REGIONS.primary }),
        secondary: new aws.Provider("consumer-secondary", { region: REGIONS.secondary }),
    };
    const tableName = "payments-dr-dev-transactions-abc123";
    const regional = (role: Role) =>
        provider.construct(
            role,
            typeToken("RegionalStack"),
            {
                role,
                region: REGIONS[role],
                environment: "dev",
                envLabel: "dev",
                nameSuffix: "abc123",
                tableName,
                apiAuth: { mode: "jwt", issuer: "https://issuer.example.com", audiences: ["payments"], tenantClaim: "merchant_id" },
                processorSecurity: { transactionIdKey: pulumi.secret(Buffer.alloc(32, 7).toString("base64")) },
                consistencyMode: "eventual",
                throttle: { rateLimit: 100, burstLimit: 200 },
            },
            { providers: { aws: providers[role] } },
        );
    const primary = await regional("primary");
    const secondary = await regional("secondary");
    const global = await provider.construct(
        "global",
        typeToken("GlobalLayer"),
        {
            environment: "dev",
            envLabel: "dev",
            nameSuffix: "abc123",
            tableName,
            primaryRegion: REGIONS.primary,
            secondaryRegion: REGIONS.secondary,
            primary: primary.state.wiring,
            secondary: secondary.state.wiring,
            healthProbePaths: { primary: primary.state.healthProbePath, secondary: secondary.state.healthProbePath },
            consistency: { mode: "eventual" },
            domainName: "payments.example.com",
            domainMode: "dns-only",
        },
        {},
    );
    const domain = await provider.construct(
        "primary-domain",
        typeToken("RegionalDomain"),
        {
            role: "primary",
            region: REGIONS.primary,
            failoverFqdn: "api.payments.example.com",
            regionalFqdn: "primary.api.payments.example.com",
            zoneId: global.state.zoneId,
            apiId: primary.state.apiId,
            stageName: primary.state.stageName,
        },
        { providers: { aws: providers.primary } },
    );
    const urn = (r: { urn: pulumi.Input<string> }) => pulumi.output(r.urn).apply((u) => u);
    return {
        urns: {
            primary: await resolved({ u: urn(primary) }).then((r) => r.u),
            secondary: await resolved({ u: urn(secondary) }).then((r) => r.u),
            global: await resolved({ u: urn(global) }).then((r) => r.u),
            domain: await resolved({ u: urn(domain) }).then((r) => r.u),
        },
        states: {
            primary: await resolved(primary.state),
            secondary: await resolved(secondary.state),
            global: await resolved(global.state),
            domain: await resolved(domain.state),
        },
    };
})();
