import { expect } from "chai";
import { backoffMs, ClientConfigError, PaymentsClient, regionSwitchBoundMs, retryAfterMs, type PaymentsClientOptions } from "@payments-dr/client";
import * as clientPackage from "../../clients/typescript/package.json";
import * as rootPackage from "../../package.json";

/** The client's options, its backoff and Retry-After arithmetic, and its package: no servers. */

const JWT = { type: "jwt", token: async () => "t" } as const;

function problemsOf(options: unknown): readonly string[] {
    try {
        new PaymentsClient(options as PaymentsClientOptions);
    } catch (error) {
        expect(error).to.be.instanceOf(ClientConfigError);
        return (error as ClientConfigError).problems;
    }
    return [];
}

describe("PaymentsClient options", () => {
    it("accepts both regional endpoints, or the failover name alone", () => {
        expect(problemsOf({ endpoints: { primary: "https://api-use1.acme-pay.net", secondary: "https://api-usw2.acme-pay.net" }, auth: JWT })).to.deep.equal(
            [],
        );
        expect(problemsOf({ endpoints: { failover: "https://api.acme-pay.net" }, auth: JWT })).to.deep.equal([]);
    });

    it("names every problem at once, with the bad value", () => {
        expect(
            problemsOf({
                endpoints: { primary: "ftp://x", secondary: "not a url" },
                auth: { type: "iam", region: "mars-1" },
                timeoutMs: 0,
                maxAttempts: 2.5,
            }),
        ).to.deep.equal([
            '`endpoints.primary` must be an http(s) URL, got "ftp://x"',
            '`endpoints.secondary` must be an http(s) URL, got "not a url"',
            '`auth.region` must be an AWS region such as us-east-1, got "mars-1"',
            "`timeoutMs` must be a positive number, got 0",
            "`maxAttempts` must be a positive integer, got 2.5",
        ]);
        expect(problemsOf({ endpoints: { failover: "https://a.test", primary: "https://b.test" }, auth: { type: "basic" } })).to.deep.equal([
            "`endpoints` takes either `primary` and `secondary`, or `failover`, not both",
            '`auth` must be `{ type: "jwt", token }` or `{ type: "iam", region?, credentials? }`',
        ]);
    });

    it("iam: signs for the region in an execute-api host; a custom domain needs its region given", () => {
        const executeApi = { primary: "https://a1b2c3.execute-api.us-east-1.amazonaws.com", secondary: "https://d4e5f6.execute-api.us-west-2.amazonaws.com" };
        expect(problemsOf({ endpoints: executeApi, auth: { type: "iam" } })).to.deep.equal([]);
        expect(
            problemsOf({
                endpoints: { primary: "https://api-use1.acme-pay.net", secondary: { url: "https://api-usw2.acme-pay.net", region: "us-west-2" } },
                auth: { type: "iam" },
            }),
        ).to.deep.equal(["`endpoints.primary`: iam auth needs the region to sign for: give `{ url, region }` or `auth.region`"]);
        expect(problemsOf({ endpoints: { failover: "https://api.acme-pay.net" }, auth: { type: "iam", region: "us-east-1" } })).to.deep.equal([]);
    });

    it("states its region-switch bound: the larger of the attempt timeout and the failover bound", () => {
        expect(new PaymentsClient({ endpoints: { failover: "https://api.acme-pay.net" }, auth: JWT }).regionSwitchBoundMs).to.equal(3_000);
        expect(regionSwitchBoundMs({ timeoutMs: 5_000, regionFailoverAfterMs: 2_000 })).to.equal(5_000);
        expect(regionSwitchBoundMs({ timeoutMs: 1_000, regionFailoverAfterMs: 2_000 })).to.equal(2_000);
    });
});

describe("backoff and Retry-After", () => {
    it("full jitter under an exponential ceiling, capped", () => {
        expect([1, 2, 3, 4].map((n) => backoffMs(n, 100, 5_000, () => 0.999_999))).to.deep.equal([99, 199, 399, 799]);
        expect(backoffMs(12, 100, 5_000, () => 0.999_999)).to.equal(4_999);
        expect(backoffMs(5, 100, 5_000, () => 0)).to.equal(0);
    });

    it("reads delta-seconds and HTTP dates; ignores anything else", () => {
        const now = Date.parse("2026-12-02T10:00:00Z");
        expect(retryAfterMs("4", now)).to.equal(4_000);
        expect(retryAfterMs("Wed, 02 Dec 2026 10:00:07 GMT", now)).to.equal(7_000);
        expect(retryAfterMs("Wed, 02 Dec 2026 09:00:00 GMT", now)).to.equal(0);
        expect([retryAfterMs(null), retryAfterMs(""), retryAfterMs("soon"), retryAfterMs("-3")]).to.deep.equal([undefined, undefined, undefined, undefined]);
    });
});

describe("the client package", () => {
    it("depends on no Pulumi package, pins its dependencies exactly, and is a workspace of the root (one lockfile)", () => {
        const dependencies = { ...clientPackage.dependencies } as Record<string, string>;
        expect(Object.keys(dependencies).sort()).to.deep.equal(["@aws-sdk/credential-provider-node", "@smithy/signature-v4"]);
        expect(Object.keys(dependencies).some((name) => name.includes("pulumi"))).to.equal(false);
        for (const version of Object.values(dependencies)) {
            expect(version).to.match(/^\d+\.\d+\.\d+$/);
        }
        expect(rootPackage.workspaces).to.deep.equal(["clients/typescript"]);
    });
});
