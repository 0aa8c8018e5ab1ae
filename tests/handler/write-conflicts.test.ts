import { expect } from "chai";
import { ReplicatedWriteConflictException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createTransaction } from "../../functions/transaction-processor/create-transaction";
import { readConfig } from "../../functions/transaction-processor/env";
import { HttpError } from "../../functions/transaction-processor/responses";
import type { Runtime } from "../../functions/transaction-processor/runtime";
import { TransactionStore } from "../../functions/transaction-processor/transactions";
import { createBodySchema } from "../../functions/transaction-processor/validation";
import { retryWriteConflicts, WRITE_CONFLICT_ATTEMPTS } from "../../functions/transaction-processor/write-conflicts";
import { postTransactionEvent, validBody } from "./support/events";
import { handlerEnv } from "./support/fixture";
import { expectRetryAfter } from "./support/retry-after";

/**
 * Multi-Region strong consistency cannot run locally (no emulator implements it), so these tests put a
 * client-level stand-in where DynamoDB would answer `ReplicatedWriteConflictException`.
 */

function conflict(): ReplicatedWriteConflictException {
    return new ReplicatedWriteConflictException({ message: "Replicated write conflict", $metadata: { httpStatusCode: 400 } });
}

/** A document client whose sends answer from `script` in order (an error is thrown), then succeed with `{}`. */
function scriptedClient(script: readonly unknown[]): { client: DynamoDBDocumentClient; commands: string[] } {
    const commands: string[] = [];
    let index = 0;
    const client = {
        send: async (command: { constructor: { name: string } }) => {
            commands.push(command.constructor.name);
            const next = script[index++];
            if (next instanceof Error) {
                throw next;
            }
            return {};
        },
    } as unknown as DynamoDBDocumentClient;
    return { client, commands };
}

const noPause = { sleep: async () => undefined, random: () => 0.5 };

function strongRuntime(client: DynamoDBDocumentClient): Runtime {
    const read = readConfig({
        ...handlerEnv({ dynamoEndpoint: "http://127.0.0.1:9", s3Endpoint: "http://127.0.0.1:9" }, "t", "b"),
        CONSISTENCY_MODE: "strong",
    });
    if (!read.ok) {
        throw new Error(read.problems.join("; "));
    }
    return {
        config: read.config,
        transactions: new TransactionStore(client, "t", noPause),
        receipts: { put: async () => undefined },
        bodySchema: createBodySchema(read.config.maxAmountMinor),
    } as unknown as Runtime;
}

describe("strong consistency: replicated write conflicts (client-level stand-in)", () => {
    it(`retries a conflicting write with a growing random pause, at most ${WRITE_CONFLICT_ATTEMPTS} attempts in all`, async () => {
        const pauses: number[] = [];
        let calls = 0;
        const result = await retryWriteConflicts(
            async () => {
                calls++;
                if (calls < 3) {
                    throw conflict();
                }
                return "written";
            },
            { sleep: async (ms) => void pauses.push(ms), random: () => 0.5 },
        );
        expect([result, calls]).to.deep.equal(["written", 3]);
        expect(pauses).to.deep.equal([50, 100]);
    });

    it("gives up after the last attempt, and never retries other errors", async () => {
        let calls = 0;
        const always = () =>
            retryWriteConflicts(async () => {
                calls++;
                throw conflict();
            }, noPause);
        await always().then(
            () => expect.fail("resolved"),
            (error: Error) => expect(error.name).to.equal("ReplicatedWriteConflictException"),
        );
        expect(calls).to.equal(WRITE_CONFLICT_ATTEMPTS);
        let otherCalls = 0;
        await retryWriteConflicts(async () => {
            otherCalls++;
            throw new Error("boom");
        }, noPause).catch(() => undefined);
        expect(otherCalls).to.equal(1);
    });

    it("creates the transaction when the conflict clears within the attempts (201)", async () => {
        const { client, commands } = scriptedClient([conflict()]);
        const reply = await createTransaction(postTransactionEvent(validBody()), strongRuntime(client));
        expect(reply.statusCode).to.equal(201);
        // two PutItem attempts, then the receipt-status update; no version item in strong mode
        expect(commands).to.deep.equal(["PutCommand", "PutCommand", "UpdateCommand"]);
    });

    it("answers 503 WRITE_CONFLICT with Retry-After when the conflict persists", async () => {
        const { client, commands } = scriptedClient(Array.from({ length: WRITE_CONFLICT_ATTEMPTS }, conflict));
        const error = await createTransaction(postTransactionEvent(validBody()), strongRuntime(client)).then(
            () => expect.fail("resolved"),
            (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(HttpError);
        const reply = (error as HttpError).toReply();
        expect(reply.statusCode).to.equal(503);
        expect(reply.body).to.deep.equal({
            error: {
                code: "WRITE_CONFLICT",
                message: "another Region is writing this transaction at the same moment; retry the request with the same Idempotency-Key and body",
            },
        });
        expectRetryAfter(reply.headers?.["retry-after"]);
        expect(commands).to.deep.equal(Array.from({ length: WRITE_CONFLICT_ATTEMPTS }, () => "PutCommand"));
    });
});
