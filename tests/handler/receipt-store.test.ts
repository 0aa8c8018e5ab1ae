import { expect } from "chai";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { isTransient } from "../../functions/transaction-processor/aws-errors";
import { CONFLICT_ATTEMPTS, receiptBody, ReceiptStore } from "../../functions/transaction-processor/receipts";
import type { TransactionItem } from "../../functions/transaction-processor/transactions";
import { useEnvFixture } from "./support/fixture";

/**
 * Conditional-write answers that s3rver never gives (it ignores If-None-Match): real S3's 412 for an existing key
 * and 409 ConditionalRequestConflict for the loser of two concurrent conditional PUTs. A client-level script.
 */

const ITEM: TransactionItem = {
    pk: "TXN#txn_aaaaaaaaaaaaaaaaaaaaaaaaaa",
    sk: "TXN",
    id: "txn_aaaaaaaaaaaaaaaaaaaaaaaaaa",
    status: "ACCEPTED",
    amount: 1250,
    currency: "EUR",
    merchantId: "merchant_42",
    createdAt: "2026-11-28T19:00:00.000Z",
    region: "us-east-1",
    requestHash: "0".repeat(64),
    idempotencyKeyHash: "1".repeat(64),
    receiptKey: "receipts/aa/2026/11/28/txn_aaaaaaaaaaaaaaaaaaaaaaaaaa.json",
    receiptStatus: "PENDING",
};

function s3Error(name: string, status: number): Error {
    return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

type Answer = Error | { body?: string; etag?: string };

/** An S3 client that records each command and answers from a script, in order. */
class ScriptedS3 {
    readonly sent: (PutObjectCommand | GetObjectCommand)[] = [];
    constructor(private readonly answers: Answer[]) {}

    async send(command: PutObjectCommand | GetObjectCommand): Promise<unknown> {
        this.sent.push(command);
        const answer = this.answers.shift();
        if (answer === undefined) {
            throw new Error(`unscripted ${command.constructor.name}`);
        }
        if (answer instanceof Error) {
            throw answer;
        }
        return { ETag: answer.etag, Body: answer.body === undefined ? undefined : { transformToString: async () => answer.body } };
    }

    puts(): PutObjectCommand["input"][] {
        return this.sent.filter((c): c is PutObjectCommand => c instanceof PutObjectCommand).map((c) => c.input);
    }
}

function storeWith(s3: ScriptedS3): ReceiptStore {
    return new ReceiptStore(s3 as unknown as S3Client, "documents", "arn:aws:kms:us-east-1:111122223333:key/k");
}

describe("ReceiptStore conditional writes (client-level script)", () => {
    const fixture = useEnvFixture();

    it("writes a new receipt with If-None-Match: *", async () => {
        const s3 = new ScriptedS3([{}]);
        expect(await storeWith(s3).put(ITEM)).to.equal("written");
        expect(s3.puts()).to.have.length(1);
        expect(s3.puts()[0]).to.include({ IfNoneMatch: "*", Key: ITEM.receiptKey, Body: receiptBody(ITEM), ServerSideEncryption: "aws:kms" });
    });

    it("on 412 reads the stored object and accepts it only when it is byte-identical", async () => {
        const s3 = new ScriptedS3([s3Error("PreconditionFailed", 412), { body: receiptBody(ITEM), etag: '"e1"' }]);
        expect(await storeWith(s3).put(ITEM)).to.equal("present");
        expect(s3.sent.map((c) => c.constructor.name)).to.deep.equal(["PutObjectCommand", "GetObjectCommand"]);
    });

    it("on 412 with a different stored object replaces exactly the version it compared (If-Match), and says so", async () => {
        fixture.logs.clear();
        const s3 = new ScriptedS3([s3Error("PreconditionFailed", 412), { body: '{"schema":"tampered"}', etag: '"e1"' }, {}]);
        expect(await storeWith(s3).put(ITEM)).to.equal("replaced");
        const [, replace] = s3.puts();
        expect(replace).to.include({ IfMatch: '"e1"', Body: receiptBody(ITEM) });
        expect(replace.IfNoneMatch).to.equal(undefined);
        expect(fixture.logs.lines.filter((line) => line.message === "stored receipt differs from its transaction; replacing it")).to.have.length(1);
    });

    it("retries a 409 ConditionalRequestConflict (a concurrent conditional PUT), then compares after the winner's 412", async () => {
        const s3 = new ScriptedS3([s3Error("ConditionalRequestConflict", 409), s3Error("PreconditionFailed", 412), { body: receiptBody(ITEM) }]);
        expect(await storeWith(s3).put(ITEM)).to.equal("present");
        expect(s3.puts().map((put) => put.IfNoneMatch)).to.deep.equal(["*", "*"]);
    });

    it("stores a version's receipt (eventual mode) through the same conditional path: 409, then 412 with another version's body, replaced", async () => {
        const version = { id: ITEM.id, receiptKey: ITEM.receiptKey.replace(".json", ".us-west-2.json"), body: receiptBody({ ...ITEM, region: "us-west-2" }) };
        const s3 = new ScriptedS3([
            s3Error("ConditionalRequestConflict", 409),
            s3Error("PreconditionFailed", 412),
            { body: receiptBody(ITEM), etag: '"e2"' },
            {},
        ]);
        expect(await storeWith(s3).putDocument(version)).to.equal("replaced");
        expect(s3.puts().map((put) => [put.Key, put.IfNoneMatch ?? put.IfMatch])).to.deep.equal([
            [version.receiptKey, "*"],
            [version.receiptKey, "*"],
            [version.receiptKey, '"e2"'],
        ]);
        expect(s3.puts()[2].Body).to.equal(version.body);
    });

    it(`gives up after ${CONFLICT_ATTEMPTS} conflicts with a transient error (the client is told to retry)`, async () => {
        const s3 = new ScriptedS3(Array.from({ length: CONFLICT_ATTEMPTS }, () => s3Error("ConditionalRequestConflict", 409)));
        const failure = await storeWith(s3)
            .put(ITEM)
            .then(
                () => undefined,
                (error: unknown) => error,
            );
        expect(failure).to.have.property("name", "ConditionalRequestConflict");
        expect(isTransient(failure)).to.equal(true);
        expect(s3.puts()).to.have.length(CONFLICT_ATTEMPTS);
    });
});
