import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import * as http from "http";
import type { AddressInfo } from "net";
import { handler as canaryHandler } from "../../functions/canary/index";
import { CANARY_TRANSACTION, JourneyDeps, JourneyFailure, runJourney } from "../../functions/canary/journey";
import { healthBody } from "../../functions/health/health";
import { fetchAccessToken, parseClientCredentials } from "../../functions/canary/token";
import { apiEvent, iamAuthorizer, invoke, jwtAuthorizer, TEST_TENANT_CLAIM } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { closeServer } from "./support/local-aws";
import { checkSignature } from "../client/support/sigv4-check";

/** AWS's Signature Version 4 test suite credentials and date (get-vanilla, post-vanilla). */
const AWS_EXAMPLE = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const AWS_EXAMPLE_DATE = new Date("2015-08-30T12:36:00Z");

const CANARY_ROLE = "payments-tenant-canary-dev-abc123";
/** The canary role's unique id, which the program maps to the canary's own tenant (components/tenant-roles.ts). */
const CANARY_ROLE_ID = "AROACANARYROLEDEV0001";
const CREDENTIALS = { accessKeyId: "ASIACANARYEXAMPLE000", secretAccessKey: "canary-secret", sessionToken: "canary-session" };
const API_REGION = "us-east-1";
const CALLERS = new Map([[CREDENTIALS.accessKeyId, { ...CREDENTIALS, roleName: CANARY_ROLE }]]);
/** The token the local token endpoint issues, and the merchant its tenant claim names. */
const ISSUED_TOKEN = "eyJ.canary-token.sig";
const JWT_CANARY_MERCHANT = "canary-prod";

describe("synthetic canary (functions/canary)", () => {
    describe("the SigV4 check the local API Gateway applies (tests/client/support/sigv4-check.ts)", () => {
        const vanilla = (method: string, signature: string) => ({
            method,
            path: "/",
            headers: {
                host: "example.amazonaws.com",
                "x-amz-date": "20150830T123600Z",
                authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
            },
            body: "",
        });
        const callers = new Map([[AWS_EXAMPLE.accessKeyId, { secretAccessKey: AWS_EXAMPLE.secretAccessKey, roleName: "example" }]]);
        const check = (request: ReturnType<typeof vanilla>) =>
            checkSignature(request, "us-east-1", callers, { service: "service", now: AWS_EXAMPLE_DATE.getTime() });

        it("accepts AWS's test-suite signatures (get-vanilla, post-vanilla) and nothing else", () => {
            expect(check(vanilla("GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")).ok).to.equal(true);
            expect(check(vanilla("POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")).ok).to.equal(true);
            expect(check(vanilla("POST", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"))).to.deep.equal({
                ok: false,
                why: "signature does not match",
            });
            expect(check({ ...vanilla("GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), body: "{}" }).ok).to.equal(false);
        });
    });

    describe("the journey against the transaction processor behind a local SigV4-checking server", () => {
        const fixture = useHandlerFixture();
        let server: http.Server;
        let baseUrl: string;
        /** Tamper with the processor's answers (to prove the canary notices). */
        let tamper: ((method: string, body: string) => string) | undefined;

        before(async () => {
            server = http.createServer((req, res) => {
                const chunks: Buffer[] = [];
                req.on("data", (c: Buffer) => chunks.push(c));
                req.on("end", () => void answer(req, Buffer.concat(chunks).toString("utf8"), res));
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        });
        beforeEach(() => {
            tamper = undefined;
            fixture.env.set({ ...fixture.baseEnv, AUTH_MODE: "iam", TENANT_ROLE_IDS: JSON.stringify({ [CANARY_ROLE_ID]: "canary-dev-abc123" }) });
        });
        after(() => closeServer(server));

        /** What API Gateway does for an AWS_IAM route: check the signature (scope region, host, body), then invoke. */
        async function answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
            const path = req.url ?? "/";
            if (path === "/health") {
                // The health function's own body (status, role, per-store state: no region name).
                const body = healthBody({
                    status: "ok",
                    region: API_REGION,
                    role: "primary",
                    checkedAt: new Date().toISOString(),
                    cached: false,
                    checks: { table: { ok: true, latencyMs: 3 }, bucket: { ok: true, latencyMs: 4 } },
                });
                res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
                return;
            }
            if (path === "/oauth2/token") {
                // A token endpoint (client credentials grant, HTTP Basic client authentication).
                const expectedBasic = `Basic ${Buffer.from(`${encodeURIComponent("canary client")}:${encodeURIComponent("s3cr:t")}`).toString("base64")}`;
                const form = new URLSearchParams(body);
                if (req.method !== "POST" || req.headers.authorization !== expectedBasic || form.get("grant_type") !== "client_credentials") {
                    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "invalid_client" }));
                    return;
                }
                res.writeHead(200, { "content-type": "application/json" }).end(
                    JSON.stringify({ access_token: ISSUED_TOKEN, token_type: "Bearer", expires_in: 3600 }),
                );
                return;
            }
            const authorization = String(req.headers.authorization ?? "");
            if (authorization.startsWith("Bearer ")) {
                // What the JWT authorizer does: a valid token reaches the function with its claims, anything else is 401.
                if (authorization !== `Bearer ${ISSUED_TOKEN}`) {
                    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ message: "Unauthorized" }));
                    return;
                }
                const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
                const result = await invoke(
                    apiEvent({
                        method: req.method ?? "GET",
                        path,
                        headers,
                        body: body === "" ? undefined : body,
                        authorizer: jwtAuthorizer(JWT_CANARY_MERCHANT),
                    }),
                );
                res.writeHead(result.status, result.headers).end(result.text);
                return;
            }
            const signed = checkSignature({ method: req.method ?? "GET", path, headers: req.headers, body }, API_REGION, CALLERS);
            if (!signed.ok) {
                res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ message: "Forbidden" }));
                return;
            }
            const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
            const result = await invoke(
                apiEvent({
                    method: req.method ?? "GET",
                    path,
                    headers,
                    body: body === "" ? undefined : body,
                    authorizer: iamAuthorizer(CANARY_ROLE, undefined, CANARY_ROLE_ID),
                }),
            );
            res.writeHead(result.status, result.headers).end(tamper ? tamper(req.method ?? "GET", result.text) : result.text);
        }

        const deps = (overrides: Partial<JourneyDeps> = {}): JourneyDeps => ({
            credentials: CREDENTIALS,
            fetch,
            newIdempotencyKey: () => `canary-${Math.random().toString(36).slice(2)}`,
            log: () => undefined,
            ...overrides,
        });

        const REGIONS = { primary: API_REGION, secondary: "us-west-2" };

        it("creates, replays and reads one transaction as its own tenant, signing for the region of the role /health names", async () => {
            const lines: string[] = [];
            const result = await runJourney({ baseUrl, regionsByRole: REGIONS }, deps({ log: (l) => lines.push(l) }));
            expect(result.region).to.equal(API_REGION);
            expect(lines).to.deep.equal([
                "health: 200, answered by us-east-1",
                `create: 201 ${result.transactionId} in us-east-1`,
                "replay: 200, the same body",
                "read: 200, the transaction created",
            ]);
            const items = (await fixture.aws.scan(fixture.tableName)).filter((i) => JSON.stringify(i).includes(result.transactionId));
            expect(items.map((i) => i.merchantId)).to.include("canary-dev-abc123");
            expect(items.map((i) => i.amount)).to.include(CANARY_TRANSACTION.amount);
        });

        it("fails the run, naming the answer, when /health names no role it knows", async () => {
            await expectFailure(runJourney({ baseUrl, regionsByRole: { secondary: "us-west-2" } }, deps()), /^health: no known role in the answer 200/);
        });

        it("fails the run when signed for another region than the one that answers (API Gateway's 403)", async () => {
            const run = runJourney({ baseUrl, signingRegion: "us-west-2" }, deps());
            await expectFailure(run, /^create: expected 201, got 403/);
        });

        it("fails the run when a replay answers a different body", async () => {
            let posts = 0;
            tamper = (method, text) => (method === "POST" && ++posts === 2 ? text.replace('"amount":1', '"amount":2') : text);
            await expectFailure(runJourney({ baseUrl, regionsByRole: REGIONS }, deps()), /^replay: a different body for the same Idempotency-Key/);
        });

        it("fails the run when the read answers another transaction", async () => {
            tamper = (method, text) => (method === "GET" ? text.replace('"reference":"synthetic canary"', '"reference":"other"') : text);
            await expectFailure(runJourney({ baseUrl, regionsByRole: REGIONS }, deps()), /^read: not the transaction created/);
        });

        it("on a jwt stack: gets a token with the client credentials grant, then runs the journey with it as its own tenant", async () => {
            fixture.env.set({ ...fixture.baseEnv, AUTH_MODE: "jwt", TENANT_CLAIM: TEST_TENANT_CLAIM });
            const credentials = parseClientCredentials(
                JSON.stringify({
                    tokenUrl: "https://idp.example-corp.net/oauth2/token",
                    clientId: "canary client",
                    clientSecret: "s3cr:t",
                    scope: "payments/write",
                }),
            );
            expect(credentials).to.deep.include({ clientId: "canary client", clientSecret: "s3cr:t", scope: "payments/write" });
            // The secret must name an https endpoint; the local token endpoint speaks plain http, so point the parsed
            // credentials at it.
            const token = await fetchAccessToken({ ...credentials, tokenUrl: `${baseUrl}/oauth2/token` }, fetch);
            expect(token).to.equal(ISSUED_TOKEN);
            const result = await runJourney(
                { baseUrl, regionsByRole: REGIONS },
                {
                    bearerToken: token,
                    fetch,
                    newIdempotencyKey: () => `canary-${Math.random().toString(36).slice(2)}`,
                    log: () => undefined,
                },
            );
            const items = (await fixture.aws.scan(fixture.tableName)).filter((i) => JSON.stringify(i).includes(result.transactionId));
            expect(items.map((i) => i.merchantId)).to.include(JWT_CANARY_MERCHANT);
        });

        it("the handler (apiAuth jwt): reads CANARY_TOKEN_SECRET from Secrets Manager in its own region, then runs the journey with the token", async () => {
            const secretName = "payments-dr/canary-client";
            const idp = "https://idp.example-corp.net";
            const secrets = mockClient(SecretsManagerClient);
            secrets
                .on(GetSecretValueCommand, { SecretId: secretName })
                .resolves({ SecretString: JSON.stringify({ tokenUrl: `${idp}/oauth2/token`, clientId: "canary client", clientSecret: "s3cr:t" }) });
            // The secret must name an https token endpoint: the handler's fetch reaches the local one instead (nothing leaves 127.0.0.1).
            const realFetch = globalThis.fetch;
            globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => realFetch(String(input).replace(idp, baseUrl), init)) as typeof fetch;
            const canaryEnv = { CANARY_AUTH: "jwt", CANARY_TOKEN_SECRET: secretName, CANARY_BASE_URL: baseUrl, CANARY_REGIONS: JSON.stringify(REGIONS) };
            fixture.env.set({ ...fixture.baseEnv, AUTH_MODE: "jwt", TENANT_CLAIM: TEST_TENANT_CLAIM, AWS_REGION: API_REGION, ...canaryEnv });
            try {
                const summary = await canaryHandler();
                expect(summary).to.match(/^\S+ created, replayed and read in us-east-1$/);
                const calls = secrets.commandCalls(GetSecretValueCommand);
                expect(calls.map((c) => c.args[0].input)).to.deep.equal([{ SecretId: secretName }]);
                // Resolved while the environment holds the canary's region (what the IAM conformance check evaluates).
                expect(await (calls[0].thisValue as SecretsManagerClient).config.region()).to.equal(API_REGION);
            } finally {
                globalThis.fetch = realFetch;
                secrets.restore();
                fixture.env.set(Object.fromEntries(Object.keys(canaryEnv).map((k) => [k, undefined])));
            }
        });

        it("fails the run at the token step, without the secret in the message, when the token endpoint refuses the client", async () => {
            const run = fetchAccessToken({ tokenUrl: `${baseUrl}/oauth2/token`, clientId: "canary client", clientSecret: "wrong" }, fetch);
            const error = await run.then(
                () => undefined,
                (e: unknown) => e as Error,
            );
            expect(error?.message).to.equal('token: expected 200 from the token endpoint, got 401: {"error":"invalid_client"}');
            expect(error?.message).to.not.contain("wrong");
        });

        it("refuses a token secret without tokenUrl, clientId or clientSecret, or with a plain-http token URL", () => {
            expect(() => parseClientCredentials("{}")).to.throw("token: the token secret lacks tokenUrl, clientId, clientSecret");
            expect(() => parseClientCredentials("not json")).to.throw("token: the token secret is not JSON");
            expect(() => parseClientCredentials(JSON.stringify({ tokenUrl: "http://idp", clientId: "a", clientSecret: "b" }))).to.throw(
                "token: the token secret's tokenUrl must be an https URL",
            );
        });

        async function expectFailure(run: Promise<unknown>, message: RegExp): Promise<void> {
            const error = await run.then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(error).to.be.instanceOf(JourneyFailure);
            expect((error as Error).message).to.match(message);
        }
    });
});
