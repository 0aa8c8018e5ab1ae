import { expect } from "chai";
import { CreateTableCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { readAuthority } from "../../functions/takeover-switch/authority";
import { handler, readSwitchConfig } from "../../functions/takeover-switch/index";
import { EnvSandbox } from "./support/env-sandbox";
import { LOCAL_CREDENTIALS, LocalAws } from "./support/local-aws";
import { LogCapture } from "./support/log-capture";
import { SignalStandIn } from "./support/signal-stand-in";

const SIGNAL = { region: "us-west-2", namespace: "PaymentsDR/Failover", metricName: "TakeoverRequested", dimensions: { Stack: "dev-abc123" } };
const AUTHORITY = { region: "us-west-2", tableName: "takeover-authority-dev-abc123" };

describe("takeover-switch (ARC Region switch custom action) against a local CloudWatch stand-in", () => {
    const env = new EnvSandbox();
    const logs = new LogCapture();
    let signal: SignalStandIn;
    let aws: LocalAws;
    before(async () => {
        logs.start();
        signal = await SignalStandIn.start();
        aws = await LocalAws.start();
        await aws.dynamo.send(
            new CreateTableCommand({
                TableName: AUTHORITY.tableName,
                AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
                KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
        // dynalite creates tables asynchronously: wait until it is ACTIVE.
        await waitUntilTableExists({ client: aws.dynamo, maxWaitTime: 60, minDelay: 1 }, { TableName: AUTHORITY.tableName });
        env.set({
            AWS_ENDPOINT_URL_CLOUDWATCH: signal.endpoint,
            AWS_ENDPOINT_URL_DYNAMODB: aws.dynamoEndpoint,
            TAKEOVER_AUTHORITY: JSON.stringify(AUTHORITY),
            AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
            AWS_SESSION_TOKEN: undefined,
            AWS_PROFILE: undefined,
            TAKEOVER_SIGNAL: JSON.stringify(SIGNAL),
        });
    });
    after(async () => {
        logs.stop();
        env.restore();
        await signal.stop();
        await aws.stop();
    });

    it("sets the takeover authority and publishes 1 to take over, publishes 0 and clears it to release, in the standby region", async () => {
        env.set({ TAKEOVER_VALUE: "1" });
        expect(await handler()).to.deep.include({ published: 1, region: "us-west-2" });
        expect(await readAuthority(aws.dynamo, AUTHORITY)).to.deep.include({ set: true, changedBy: "ARC Region switch plan" });
        env.set({ TAKEOVER_VALUE: "0" });
        expect(await handler()).to.deep.include({ published: 0, region: "us-west-2" });
        expect(await readAuthority(aws.dynamo, AUTHORITY)).to.deep.include({ set: false });
        expect(signal.published.map((p) => [p.Namespace, p.MetricData[0].MetricName, p.MetricData[0].Dimensions, p.MetricData[0].Value])).to.deep.equal([
            ["PaymentsDR/Failover", "TakeoverRequested", [{ Name: "Stack", Value: "dev-abc123" }], 1],
            ["PaymentsDR/Failover", "TakeoverRequested", [{ Name: "Stack", Value: "dev-abc123" }], 0],
        ]);
        expect(logs.lines.filter((l) => l.message === "takeover signal published").map((l) => l.value)).to.deep.equal([1, 0]);
    });

    it("refuses a missing or malformed configuration instead of publishing a guess", () => {
        expect(() => readSwitchConfig({ TAKEOVER_SIGNAL: JSON.stringify(SIGNAL) })).to.throw("TAKEOVER_VALUE must be 1 or 0");
        expect(() => readSwitchConfig({ TAKEOVER_VALUE: "1", TAKEOVER_SIGNAL: "{" })).to.throw("TAKEOVER_SIGNAL must be the takeover signal as JSON");
        expect(() => readSwitchConfig({ TAKEOVER_VALUE: "1", TAKEOVER_SIGNAL: "{}" })).to.throw("lacks region, namespace, metricName or dimensions");
        expect(() => readSwitchConfig({ TAKEOVER_VALUE: "1", TAKEOVER_SIGNAL: JSON.stringify(SIGNAL) })).to.throw(
            "TAKEOVER_AUTHORITY must be the takeover authority",
        );
        expect(() => readSwitchConfig({ TAKEOVER_VALUE: "1", TAKEOVER_SIGNAL: JSON.stringify(SIGNAL), TAKEOVER_AUTHORITY: "{}" })).to.throw(
            "lacks region or tableName",
        );
    });
});
