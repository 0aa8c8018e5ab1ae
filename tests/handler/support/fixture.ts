import { randomUUID } from "crypto";
import { EnvSandbox } from "./env-sandbox";
import { LOCAL_CREDENTIALS, LOCAL_REGION, LocalAws } from "./local-aws";
import { TEST_ROLE_ID, TEST_TENANT } from "./events";
import { TEST_ID_KEY } from "./ids";
import { LogCapture } from "./log-capture";

export const TEST_KMS_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/0f0e0d0c-0b0a-0908-0706-050403020100";
export const TEST_MAX_AMOUNT_MINOR = 1_000_000;

/** The complete, valid environment of the function, pointed at local endpoints. */
export function handlerEnv(aws: { dynamoEndpoint: string; s3Endpoint: string }, tableName: string, bucketName: string): Record<string, string | undefined> {
    return {
        TABLE_NAME: tableName,
        BUCKET_NAME: bucketName,
        APP_REGION: LOCAL_REGION,
        REGION_ROLE: "primary",
        KMS_KEY_ID: TEST_KMS_KEY_ARN,
        APP_ENV: "dev",
        MAX_AMOUNT_MINOR: String(TEST_MAX_AMOUNT_MINOR),
        AUTH_MODE: "jwt",
        TENANT_CLAIM: "merchant_id",
        // One local server is one Region: nothing to replicate, so strong (no version items); the two-Region
        // tests (cross-region.test.ts) run eventual.
        CONSISTENCY_MODE: "strong",
        TRANSACTION_ID_KEY: TEST_ID_KEY.toString("base64"),
        // iam mode (tests that switch to it): the test role's unique id is the test tenant's.
        TENANT_ROLE_IDS: JSON.stringify({ [TEST_ROLE_ID]: TEST_TENANT }),
        REQUIRED_SCOPES: undefined,
        LEGACY_IDS_UNTIL: undefined,
        MERCHANT_RATE_LIMIT: undefined,
        MERCHANT_BURST: undefined,
        AWS_REGION: LOCAL_REGION,
        AWS_ENDPOINT_URL: undefined,
        AWS_ENDPOINT_URL_DYNAMODB: aws.dynamoEndpoint,
        AWS_ENDPOINT_URL_S3: aws.s3Endpoint,
        S3_FORCE_PATH_STYLE: "true",
        // s3rver mangles aws-chunked (streamed, checksummed) bodies: only send checksums S3 requires.
        AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
        AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        LOG_LEVEL: undefined,
    };
}

/** Environment-only fixture: env sandbox and log capture, no servers. */
export class EnvFixture {
    readonly env = new EnvSandbox();
    readonly logs = new LogCapture();
}

/** Servers, a fresh table and bucket, the function's env pointed at them, logs captured. */
export class HandlerFixture extends EnvFixture {
    aws!: LocalAws;
    readonly tableName = `transactions-${randomUUID().slice(0, 8)}`;
    readonly bucketName = `receipts-${randomUUID().slice(0, 8)}`;

    /** The baseline environment (handy for overrides: `{ ...fixture.baseEnv, BUCKET_NAME: "x" }`). */
    get baseEnv(): Record<string, string | undefined> {
        return handlerEnv(this.aws, this.tableName, this.bucketName);
    }

    /** Back to the baseline environment (after a test changed it). */
    resetEnv(): void {
        this.env.set(this.baseEnv);
    }
}

/** Registers before/after hooks (call inside `describe`) for an environment-only fixture. */
export function useEnvFixture(): EnvFixture {
    const fixture = new EnvFixture();
    before(() => fixture.logs.start());
    after(() => {
        fixture.logs.stop();
        fixture.env.restore();
    });
    return fixture;
}

/** Registers before/after hooks (call inside `describe`) that start and stop the local services. */
export function useHandlerFixture(): HandlerFixture {
    const fixture = new HandlerFixture();
    before(async () => {
        fixture.logs.start();
        fixture.aws = await LocalAws.start();
        await fixture.aws.createTable(fixture.tableName);
        await fixture.aws.createBucket(fixture.bucketName);
        fixture.env.set(fixture.baseEnv);
    });
    afterEach(() => fixture.resetEnv());
    after(async () => {
        fixture.logs.stop();
        fixture.env.restore();
        await fixture.aws?.stop();
    });
    return fixture;
}
