import { expect } from "chai";
import { API_ROUTES } from "../components/regional/api-routes";
import { parseStackSettings, RawConfig } from "../program/config";
import { Synthesis } from "../scripts/synth/synthesize";
import { problemsOf, VALID_CONFIG as VALID } from "./support/config-problems";
import { isSecret, lambdaEnv, ofType, plain, stack, stackWith } from "./support/stacks";

const JWT: RawConfig = { apiAuth: "jwt", jwtIssuer: "https://auth.acme-pay.net/", jwtAudience: "payments-api" };

describe("API authentication config (apiAuth, jwtIssuer, jwtAudience, tenantClaim)", () => {
    it("defaults to iam: no stack is ever unauthenticated", () => {
        expect(parseStackSettings(VALID).apiAuth).to.deep.equal({ mode: "iam", tenantRoles: {} });
    });

    it("reads tenant roles by unique id (iam) and configurable scopes (jwt)", () => {
        expect(parseStackSettings({ ...VALID, tenantRoles: '{"AROAEXAMPLETENANT42XX":"merchant_42"}' }).apiAuth).to.deep.equal({
            mode: "iam",
            tenantRoles: { AROAEXAMPLETENANT42XX: "merchant_42" },
        });
        expect(parseStackSettings({ ...VALID, ...JWT, jwtWriteScope: "payments/create", jwtReadScope: "payments/read" }).apiAuth).to.deep.include({
            writeScope: "payments/create",
            readScope: "payments/read",
        });
    });

    it("reads jwt settings, with merchant_id as the default tenant claim and audiences as a list or comma-separated", () => {
        expect(parseStackSettings({ ...VALID, ...JWT }).apiAuth).to.deep.equal({
            mode: "jwt",
            issuer: "https://auth.acme-pay.net/",
            audiences: ["payments-api"],
            tenantClaim: "merchant_id",
            writeScope: "transactions:write",
            readScope: "transactions:read",
        });
        expect(parseStackSettings({ ...VALID, ...JWT, jwtAudience: "payments-api, payments-batch" }).apiAuth).to.deep.include({
            audiences: ["payments-api", "payments-batch"],
        });
        const yamlList = parseStackSettings({ ...VALID, ...JWT, jwtAudience: '["a","b"]', tenantClaim: "custom:merchant_id" }).apiAuth;
        expect(yamlList).to.deep.include({ audiences: ["a", "b"], tenantClaim: "custom:merchant_id" });
    });

    const refusals: Array<[string, RawConfig, string[]]> = [
        [
            "an unknown mode",
            { apiAuth: "none" },
            [
                '`payments-dr:apiAuth` is "none": must be jwt (an OIDC/OAuth 2.0 issuer\'s tokens, checked by API Gateway) or iam ' +
                    "(SigV4-signed requests); the transactions API is never unauthenticated.",
            ],
        ],
        [
            "jwt without issuer and audience",
            { apiAuth: "jwt" },
            [
                "`payments-dr:jwtIssuer` is missing: `payments-dr:apiAuth` jwt needs the https URL of the token issuer " +
                    "(pulumi config set jwtIssuer https://auth.acme-pay.net/).",
                "`payments-dr:jwtAudience` is missing: `payments-dr:apiAuth` jwt needs the audience (or audiences, comma-separated) " +
                    "the tokens are issued for (pulumi config set jwtAudience payments-api).",
            ],
        ],
        [
            "an http issuer",
            { ...JWT, jwtIssuer: "http://auth.acme-pay.net/" },
            [
                '`payments-dr:jwtIssuer` is "http://auth.acme-pay.net/": must be an https URL without query, fragment or credentials ' +
                    "(API Gateway fetches the issuer's keys over https).",
            ],
        ],
        [
            "an issuer that is no URL",
            { ...JWT, jwtIssuer: "auth.acme-pay.net" },
            ['`payments-dr:jwtIssuer` is "auth.acme-pay.net": must be the https URL of the token issuer (the `iss` claim), e.g. https://auth.acme-pay.net/.'],
        ],
        [
            "an empty audience in the list",
            { ...JWT, jwtAudience: "a,,b" },
            ['`payments-dr:jwtAudience` is "a,,b": must be one or more audience values without spaces, comma-separated.'],
        ],
        ["a repeated audience", { ...JWT, jwtAudience: "a,a" }, ['`payments-dr:jwtAudience` is "a,a": must list from 1 to 50 distinct audiences.']],
        [
            "a tenant claim with spaces",
            { ...JWT, tenantClaim: "merchant id" },
            ['`payments-dr:tenantClaim` is "merchant id": must be a claim name of 1-128 characters of A-Z, a-z, 0-9 and _ : . / - (e.g. merchant_id).'],
        ],
        [
            "jwt settings in iam mode",
            { apiAuth: "iam", jwtIssuer: "https://auth.acme-pay.net/", tenantClaim: "merchant_id" },
            [
                '`payments-dr:jwtIssuer` is "https://auth.acme-pay.net/": applies only when `payments-dr:apiAuth` is jwt; in iam mode the ' +
                    "tenant comes from the caller's IAM role (`payments-dr:tenantRoles`): remove it or set apiAuth to jwt.",
                '`payments-dr:tenantClaim` is "merchant_id": applies only when `payments-dr:apiAuth` is jwt; in iam mode the ' +
                    "tenant comes from the caller's IAM role (`payments-dr:tenantRoles`): remove it or set apiAuth to jwt.",
            ],
        ],
        [
            "a tenant role keyed by name, not unique id",
            { tenantRoles: '{"payments-tenant-merchant_42":"merchant_42"}' },
            [
                `\`payments-dr:tenantRoles\` is ${JSON.stringify('{"payments-tenant-merchant_42":"merchant_42"}')}: must map IAM role unique ids (AROA…, from ` +
                    "`aws iam get-role --query Role.RoleId`) to merchant ids (1-64 characters of A-Z, a-z, 0-9, _ and -), at most 30 roles.",
            ],
        ],
        [
            "tenant roles in jwt mode",
            { ...JWT, tenantRoles: '{"AROAEXAMPLETENANT42XX":"merchant_42"}' },
            [
                `\`payments-dr:tenantRoles\` is ${JSON.stringify('{"AROAEXAMPLETENANT42XX":"merchant_42"}')}: applies only when \`payments-dr:apiAuth\` is iam; in jwt mode the tenant is a claim: remove it.`,
            ],
        ],
        [
            "a scope with a space",
            { ...JWT, jwtWriteScope: "transactions write" },
            [
                '`payments-dr:jwtWriteScope` is "transactions write": must be one OAuth 2.0 scope: 1-128 printable characters without space, quote or ' +
                    "backslash (e.g. transactions:write).",
            ],
        ],
    ];
    for (const [what, overrides, messages] of refusals) {
        it(`refuses ${what} with exact messages`, () => {
            expect(problemsOf(overrides)).to.deep.equal(messages);
        });
    }
});

/** Routes of one region's API, by route key. */
function routesOf(s: Synthesis, region: string) {
    // Route 53's probe route (its key holds the secret token) is listed as `GET /health/<token>`.
    return Object.fromEntries(
        ofType(s, "aws:apigatewayv2/route:Route", region).map((r) => [
            plain<string>(r.inputs.routeKey).replace(/^GET \/health\/[a-z0-9]{32}$/, "GET /health/<token>"),
            r,
        ]),
    );
}

const REGIONS = ["us-east-1", "us-west-2"];

describe("authenticated routes (mocked runtime)", () => {
    it("puts the JWT authorizer on every transaction route and $default, and none on GET /health (prod, jwt)", async () => {
        const s = await stack("prod");
        for (const region of REGIONS) {
            const authorizers = ofType(s, "aws:apigatewayv2/authorizer:Authorizer", region);
            expect(authorizers, region).to.have.length(1);
            const [authorizer] = authorizers;
            expect(authorizer.inputs).to.deep.include({
                authorizerType: "JWT",
                identitySources: ["$request.header.Authorization"],
                jwtConfiguration: { issuer: "https://auth.acme-pay.net/", audiences: ["payments-api"] },
            });
            const routes = routesOf(s, region);
            expect(Object.keys(routes)).to.have.members([...API_ROUTES.map((route) => route.routeKey), "GET /health", "GET /health/<token>"]);
            expect(isSecret(routes["GET /health/<token>"].inputs.routeKey), "the probe route's key is a secret").to.equal(true);
            for (const key of ["POST /transactions", "GET /transactions/{id}", "$default"]) {
                expect(routes[key].inputs.authorizationType, `${region} ${key}`).to.equal("JWT");
                expect(routes[key].inputs.authorizerId, `${region} ${key}`).to.equal(authorizer.id);
            }
            expect(routes["GET /health"].inputs.authorizationType).to.equal("NONE");
            expect(routes["GET /health"].inputs.authorizerId).to.equal(undefined);
            expect(routes["GET /health/<token>"].inputs.authorizationType).to.equal("NONE");
            const fn = ofType(s, "aws:lambda/function:Function", region).find((f) => f.name.endsWith("-processor"))!;
            expect(lambdaEnv(fn)).to.include({ AUTH_MODE: "jwt", TENANT_CLAIM: "merchant_id" });
        }
    });

    it("signs every transaction route and $default with AWS_IAM, and leaves GET /health open (dev, iam)", async () => {
        const s = await stack("dev");
        for (const region of REGIONS) {
            expect(ofType(s, "aws:apigatewayv2/authorizer:Authorizer", region)).to.have.length(0);
            const routes = routesOf(s, region);
            for (const key of ["POST /transactions", "GET /transactions/{id}", "$default"]) {
                expect(routes[key].inputs.authorizationType, `${region} ${key}`).to.equal("AWS_IAM");
            }
            expect(routes["GET /health"].inputs.authorizationType).to.equal("NONE");
            const fn = ofType(s, "aws:lambda/function:Function", region).find((f) => f.name.endsWith("-processor"))!;
            expect(lambdaEnv(fn)).to.include({ AUTH_MODE: "iam" });
            expect(lambdaEnv(fn)).to.not.have.property("TENANT_CLAIM");
        }
    });

    it("leaves no route to the processor unauthenticated except GET /health and Route 53's probe route, in both committed stacks", async () => {
        for (const name of ["dev", "prod"] as const) {
            const open = ofType(await stack(name), "aws:apigatewayv2/route:Route")
                .filter((r) => r.inputs.authorizationType === undefined || r.inputs.authorizationType === "NONE")
                .map((r) => plain<string>(r.inputs.routeKey).replace(/[a-z0-9]{32}$/, "<token>"))
                .sort();
            expect(open, name).to.deep.equal(["GET /health", "GET /health", "GET /health/<token>", "GET /health/<token>"]);
        }
    });

    it("requires scopes on every JWT route: write on POST, read on GET, either on $default; the function checks the same (prod)", async () => {
        const s = await stack("prod");
        for (const region of REGIONS) {
            const jwtRoutes = ofType(s, "aws:apigatewayv2/route:Route", region).filter((r) => r.inputs.authorizationType === "JWT");
            expect(jwtRoutes, region).to.have.length(API_ROUTES.length);
            for (const route of jwtRoutes) {
                expect(route.inputs.authorizationScopes, `${region} ${route.inputs.routeKey}`).to.be.an("array").with.length.greaterThan(0);
            }
            const routes = routesOf(s, region);
            expect(routes["POST /transactions"].inputs.authorizationScopes).to.deep.equal(["transactions:write"]);
            expect(routes["GET /transactions/{id}"].inputs.authorizationScopes).to.deep.equal(["transactions:read"]);
            expect(routes.$default.inputs.authorizationScopes).to.deep.equal(["transactions:write", "transactions:read"]);
            const fn = ofType(s, "aws:lambda/function:Function", region).find((f) => f.name.endsWith("-processor"))!;
            expect(JSON.parse(lambdaEnv(fn).REQUIRED_SCOPES)).to.deep.equal({ write: "transactions:write", read: "transactions:read" });
        }
    });

    it("carries configured scopes to the routes and the function, and maps tenant roles by unique id in iam mode", async () => {
        const jwt = await stackWith("prod", { jwtWriteScope: "payments/create", jwtReadScope: "payments/read" });
        const routes = routesOf(jwt, "us-east-1");
        expect(routes["POST /transactions"].inputs.authorizationScopes).to.deep.equal(["payments/create"]);
        expect(routes["GET /transactions/{id}"].inputs.authorizationScopes).to.deep.equal(["payments/read"]);
        const iam = await stackWith("dev", { tenantRoles: '{"AROAEXAMPLETENANT42XX":"merchant_42"}' });
        for (const region of REGIONS) {
            expect(routesOf(iam, region)["POST /transactions"].inputs.authorizationScopes, region).to.equal(undefined);
            const fn = ofType(iam, "aws:lambda/function:Function", region).find((f) => f.name.endsWith("-processor"))!;
            expect(JSON.parse(lambdaEnv(fn).TENANT_ROLE_IDS)).to.deep.equal({ AROAEXAMPLETENANT42XX: "merchant_42" });
            expect(lambdaEnv(fn)).to.not.have.property("REQUIRED_SCOPES");
        }
    });

    it("makes the canaries' own role a tenant by its unique id (iam), created before the APIs that map it", async () => {
        const s = await stackWith("dev", { canarySchedule: "rate(5 minutes)" });
        const role = ofType(s, "aws:iam/role:Role").find((r) => r.name === "canaries-role")!;
        const fn = ofType(s, "aws:lambda/function:Function", "us-east-1").find((f) => f.name.endsWith("-processor"))!;
        const mapped = JSON.parse(lambdaEnv(fn).TENANT_ROLE_IDS) as Record<string, string>;
        expect(Object.values(mapped)).to.deep.equal([String(role.inputs.name).replace(/^payments-tenant-/, "")]);
        expect(Object.keys(mapped)[0]).to.not.equal(role.inputs.name);
    });

    it("carries several audiences and another tenant claim through to the authorizer and the function", async () => {
        const s = await stackWith("prod", { jwtAudience: "payments-api,payments-batch", tenantClaim: "custom:merchant" });
        const [authorizer] = ofType(s, "aws:apigatewayv2/authorizer:Authorizer", "us-west-2");
        expect(authorizer.inputs.jwtConfiguration.audiences).to.deep.equal(["payments-api", "payments-batch"]);
        const fn = ofType(s, "aws:lambda/function:Function", "us-west-2").find((f) => f.name.endsWith("-processor"))!;
        expect(lambdaEnv(fn).TENANT_CLAIM).to.equal("custom:merchant");
    });
});
