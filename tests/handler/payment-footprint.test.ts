import { expect } from "chai";
import { writesPerTransaction } from "../../program/capacity";
import { ConsistencyMode } from "../../components/global/consistency";
import { PROCESSOR_LOG_BYTES_PER_PAYMENT, RECEIPT_BYTES } from "../../scripts/cost/usage";
import { invoke, postTransactionEvent, validBody } from "./support/events";
import { useHandlerFixture } from "./support/fixture";
import { RecordingProxy } from "./support/recording-proxy";

/**
 * What one payment (a POST that creates a transaction) costs in requests and bytes, measured on the real handler
 * against dynalite and s3rver: the figures `npm run cost:estimate -- --tps` multiplies (scripts/cost/usage.ts).
 */
describe("one payment's footprint (the usage cost estimate's per-payment figures)", () => {
    const fixture = useHandlerFixture();

    for (const mode of ["strong", "eventual"] as const satisfies readonly ConsistencyMode[]) {
        it(`${mode}: ${writesPerTransaction({ consistency: { mode } } as never)} table writes, no read, one receipt PUT, and the logged bytes the estimate prices`, async () => {
            const dynamo = await RecordingProxy.start(fixture.aws.dynamoPort);
            const s3 = await RecordingProxy.start(fixture.aws.s3Port);
            try {
                fixture.env.set({ CONSISTENCY_MODE: mode, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ENDPOINT_URL_S3: s3.endpoint });
                fixture.logs.clear();
                const body = validBody({ reference: "order 1001", metadata: { channel: "web" } });
                const response = await invoke(postTransactionEvent(body));
                expect(response.status, JSON.stringify(response.body)).to.equal(201);

                const writes = dynamo.count("POST", "PutItem") + dynamo.count("POST", "UpdateItem");
                const reads = dynamo.count("POST", "GetItem") + dynamo.count("POST", "Query");
                expect({ writes, reads }).to.deep.equal({ writes: writesPerTransaction({ consistency: { mode } } as never), reads: 0 });
                expect(s3.requests.filter((r) => r.method === "PUT")).to.have.length(1);

                // Everything the function wrote to stdout for this payment: what CloudWatch Logs ingests.
                const logged = fixture.logs.raw.reduce((n, line) => n + Buffer.byteLength(line, "utf8") + 1, 0);
                expect(logged)
                    .to.be.at.most(PROCESSOR_LOG_BYTES_PER_PAYMENT)
                    .and.at.least(PROCESSOR_LOG_BYTES_PER_PAYMENT * 0.8);
                const receiptKey = (await fixture.aws.listKeys(fixture.bucketName)).find((k) => k.includes(String(response.body.id)))!;
                const receipt = Buffer.byteLength((await fixture.aws.getObjectText(fixture.bucketName, receiptKey)).text, "utf8");
                expect(receipt)
                    .to.be.at.most(RECEIPT_BYTES)
                    .and.at.least(RECEIPT_BYTES * 0.8);
            } finally {
                fixture.resetEnv();
                await dynamo.stop();
                await s3.stop();
            }
        });
    }
});
