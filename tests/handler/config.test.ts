import { expect } from "chai";
import { DEFAULT_REQUIRED_SCOPES, readConfig } from "../../functions/transaction-processor/env";
import { TEST_ID_KEY } from "./support/ids";
import { apiEvent, getEvent, invoke, postTransactionEvent, validBody } from "./support/events";
import { handlerEnv, useEnvFixture } from "./support/fixture";

/** Endpoints nothing listens on: a configuration error must answer before any I/O. */
const NOWHERE = { dynamoEndpoint: "http://127.0.0.1:9", s3Endpoint: "http://127.0.0.1:9" };
const VALID_ENV = handlerEnv(NOWHERE, "transactions-config", "receipts-config");
const REQUIRED = [
    "TABLE_NAME",
    "BUCKET_NAME",
    "APP_REGION",
    "REGION_ROLE",
    "KMS_KEY_ID",
    "APP_ENV",
    "MAX_AMOUNT_MINOR",
    "AUTH_MODE",
    "TENANT_CLAIM",
    "CONSISTENCY_MODE",
];

describe("configuration (env.ts)", () => {
    describe("readConfig", () => {
        it("reads the contract's variables", () => {
            const result = readConfig({ ...VALID_ENV, S3_FORCE_PATH_STYLE: undefined });
            expect(result).to.deep.equal({
                ok: true,
                config: {
                    tableName: "transactions-config",
                    bucketName: "receipts-config",
                    appRegion: "us-east-1",
                    regionRole: "primary",
                    kmsKeyId: VALID_ENV.KMS_KEY_ID,
                    appEnv: "dev",
                    maxAmountMinor: 1_000_000,
                    s3ForcePathStyle: false,
                    authMode: "jwt",
                    tenantClaim: "merchant_id",
                    consistencyMode: "strong",
                    requiredScopes: DEFAULT_REQUIRED_SCOPES,
                    transactionIdKey: TEST_ID_KEY,
                },
            });
            const secondary = readConfig({ ...VALID_ENV, REGION_ROLE: "secondary", APP_ENV: "prod", S3_FORCE_PATH_STYLE: "true" });
            expect(secondary.ok && [secondary.config.regionRole, secondary.config.appEnv, secondary.config.s3ForcePathStyle]).to.deep.equal([
                "secondary",
                "prod",
                true,
            ]);
        });

        for (const name of REQUIRED) {
            it(`names ${name} when it is missing, empty or blank`, () => {
                for (const value of [undefined, "", "   "]) {
                    expect(readConfig({ ...VALID_ENV, [name]: value })).to.deep.equal({
                        ok: false,
                        problems: [`environment variable ${name} is missing or empty`],
                    });
                }
            });
        }

        it("explains invalid values", () => {
            const problems = (env: NodeJS.ProcessEnv) => {
                const result = readConfig({ ...VALID_ENV, ...env });
                return result.ok ? [] : result.problems;
            };
            expect(problems({ REGION_ROLE: "tertiary" })).to.deep.equal(['environment variable REGION_ROLE must be one of primary, secondary, got "tertiary"']);
            expect(problems({ APP_ENV: "qa" })).to.deep.equal(['environment variable APP_ENV must be one of dev, staging, prod, got "qa"']);
            expect(problems({ APP_REGION: "us_east_1" })).to.deep.equal([
                'environment variable APP_REGION must be an AWS region such as us-east-1, got "us_east_1"',
            ]);
            for (const value of ["0", "-1", "1.5", "1e6", "abc", "9007199254740992"]) {
                expect(problems({ MAX_AMOUNT_MINOR: value }), value).to.deep.equal([
                    `environment variable MAX_AMOUNT_MINOR must be a positive integer no larger than 9007199254740991, got "${value}"`,
                ]);
            }
            expect(problems({ S3_FORCE_PATH_STYLE: "yes" })).to.deep.equal([
                'environment variable S3_FORCE_PATH_STYLE must be "true" or "false" when set, got "yes"',
            ]);
        });

        it("reads the security variables: scopes, tenant roles, id key, migration date, merchant limit", () => {
            const iam = readConfig({
                ...VALID_ENV,
                AUTH_MODE: "iam",
                TENANT_ROLE_IDS: '{"AROAEXAMPLETENANT42XX":"merchant_42"}',
                LEGACY_IDS_UNTIL: "2027-01-31",
                MERCHANT_RATE_LIMIT: "5",
                MERCHANT_BURST: "10",
            });
            expect(iam.ok && iam.config).to.deep.include({
                tenantRoleIds: new Map([["AROAEXAMPLETENANT42XX", "merchant_42"]]),
                legacyIdsUntil: new Date("2027-01-31T23:59:59.999Z"),
                merchantLimit: { ratePerSecond: 5, burst: 10 },
            });
            expect(iam.ok && iam.config.requiredScopes).to.equal(undefined);
            const scopes = readConfig({ ...VALID_ENV, REQUIRED_SCOPES: '{"write":"payments/create","read":"payments/read"}' });
            expect(scopes.ok && scopes.config.requiredScopes).to.deep.equal({ write: "payments/create", read: "payments/read" });
        });

        it("explains bad security variables, and never quotes the id key", () => {
            const problems = (env: NodeJS.ProcessEnv) => {
                const result = readConfig({ ...VALID_ENV, ...env });
                return result.ok ? [] : result.problems;
            };
            const shortKey = Buffer.alloc(31, 1).toString("base64");
            expect(problems({ TRANSACTION_ID_KEY: shortKey })).to.deep.equal([
                "environment variable TRANSACTION_ID_KEY must be base64 of at least 32 random bytes",
            ]);
            expect(problems({ TRANSACTION_ID_KEY: undefined })).to.have.length(1);
            expect(problems({ TRANSACTION_ID_KEY: shortKey }).join()).to.not.contain(shortKey);
            expect(problems({ AUTH_MODE: "iam", TENANT_ROLE_IDS: '{"payments-tenant-x":"x"}' })).to.deep.equal([
                "environment variable TENANT_ROLE_IDS must map role unique ids (AROA...) to merchant ids (1-64 of A-Z a-z 0-9 _ -)",
            ]);
            expect(problems({ AUTH_MODE: "iam", TENANT_ROLE_IDS: "[]" })).to.deep.equal(["environment variable TENANT_ROLE_IDS must be a JSON object"]);
            expect(problems({ REQUIRED_SCOPES: '{"write":"a b"}' })).to.deep.equal([
                "environment variable REQUIRED_SCOPES must name a write scope (1-128 printable characters, no space, quote or backslash)",
                "environment variable REQUIRED_SCOPES must name a read scope (1-128 printable characters, no space, quote or backslash)",
            ]);
            expect(problems({ LEGACY_IDS_UNTIL: "2027-02-30" })).to.deep.equal([
                'environment variable LEGACY_IDS_UNTIL must be a date YYYY-MM-DD, got "2027-02-30"',
            ]);
            expect(problems({ MERCHANT_RATE_LIMIT: "10", MERCHANT_BURST: "5" })).to.deep.equal([
                'environment variables MERCHANT_RATE_LIMIT and MERCHANT_BURST must be set together, positive integers with rate <= burst <= 100000, got "10" and "5"',
            ]);
            expect(problems({ MERCHANT_RATE_LIMIT: "10" })).to.have.length(1);
        });

        it("reports every problem at once", () => {
            const result = readConfig({ ...VALID_ENV, TABLE_NAME: undefined, BUCKET_NAME: "", REGION_ROLE: "x" });
            expect(result.ok ? [] : result.problems).to.have.length(3);
        });
    });

    describe("handler with a bad configuration", () => {
        const fixture = useEnvFixture();
        afterEach(() => fixture.env.set(VALID_ENV));

        for (const name of REQUIRED) {
            for (const value of [undefined, ""]) {
                it(`answers 500 CONFIGURATION_ERROR naming ${name} when it is ${value === undefined ? "missing" : "empty"}`, async () => {
                    // given
                    fixture.env.set({ ...VALID_ENV, [name]: value });
                    // when
                    const response = await invoke(postTransactionEvent(validBody()));
                    // then
                    expect(response.status).to.equal(500);
                    expect(response.headers["content-type"]).to.equal("application/json");
                    expect(response.body).to.deep.equal({
                        error: {
                            code: "CONFIGURATION_ERROR",
                            message: `the function is misconfigured; its log names the problems (request id ${response.requestId})`,
                        },
                    });
                });
            }
        }

        it("answers the same on every route, and logs the problem once per container", async () => {
            // given: a configuration no earlier test used, so this is its cold start
            fixture.env.set({ ...VALID_ENV, KMS_KEY_ID: undefined, TABLE_NAME: "config-once" });
            fixture.logs.clear();
            // when
            const responses = [
                await invoke(getEvent("/transactions/txn_aaaaaaaaaaaaaaaaaaaaaaaaaa")),
                await invoke(getEvent("/transactions/txn_bbbbbbbbbbbbbbbbbbbbbbbbbb")),
                await invoke(postTransactionEvent(validBody())),
                await invoke(postTransactionEvent(validBody())),
            ];
            // then
            for (const response of responses) {
                expect(response.status).to.equal(500);
                expect(response.body.error?.code).to.equal("CONFIGURATION_ERROR");
            }
            const configLines = fixture.logs.lines.filter((line) => line.message === "invalid configuration");
            expect(configLines).to.have.length(1);
            expect(configLines[0]).to.include({ level: "error", problems: "environment variable KMS_KEY_ID is missing or empty" });
            expect(fixture.logs.requests().map((line) => line.status)).to.deep.equal([500, 500, 500, 500]);
        });

        it("never shows an environment value to the client (the problems, values included, go to the log)", async () => {
            fixture.env.set({ ...VALID_ENV, APP_REGION: "secret_region_value", TABLE_NAME: "config-values" });
            fixture.logs.clear();
            const response = await invoke(postTransactionEvent(validBody()));
            expect(response.status).to.equal(500);
            expect(response.text).to.not.contain("secret_region_value").and.not.contain("APP_REGION");
            expect(String(fixture.logs.lines.find((line) => line.message === "invalid configuration")?.problems)).to.contain("secret_region_value");
        });

        it("still routes: unknown paths are 404 even when misconfigured", async () => {
            fixture.env.set({ ...VALID_ENV, TABLE_NAME: undefined });
            const response = await invoke(apiEvent({ method: "GET", path: "/nope" }));
            expect(response.status).to.equal(404);
        });
    });
});
