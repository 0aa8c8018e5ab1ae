import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { ensureReplicaStream } from "../components/global/replica-stream";
import { MissingStreamError, requireStreamArn } from "../components/global/table-streams";
import { synthesize, Synthesis } from "../scripts/synth/synthesize";
import { readStackConfig } from "../scripts/synth/stack-config";
import { EVERY_OPTION, everyOptionStack } from "./support/every-option";
import { ofType, one } from "./support/stacks";

const STREAM_ARN = /^arn:aws:dynamodb:([a-z0-9-]+):\d{12}:table\/[^/]+\/stream\/.+$/;
const REPLICA_STREAM = "pulumi-nodejs:dynamic/payments-dr:ReplicaStream";

describe("the table's streams (issue 20: the MRSC replica's stream is never an empty string)", () => {
    describe("a stack with every option on (strong consistency, ledger, finishers)", () => {
        let s: Synthesis;
        before(async () => {
            s = await everyOptionStack();
        });

        it("every stream consumer reads a stream ARN of its own region: none empty", () => {
            const mappings = ofType(s, "aws:lambda/eventSourceMapping:EventSourceMapping").filter((m) => /stream/.test(m.name));
            // Two receipt finishers and two ledger projectors.
            expect(mappings.map((m) => m.name).sort()).to.deep.equal([
                "global-primary-receipt-finisher-stream",
                "global-secondary-receipt-finisher-stream",
                "ledger-primary-projector-stream",
                "ledger-secondary-projector-stream",
            ]);
            for (const mapping of mappings) {
                const arn = String(mapping.inputs.eventSourceArn ?? "");
                expect(arn, mapping.name).to.match(STREAM_ARN);
                expect(STREAM_ARN.exec(arn)![1], mapping.name).to.equal(mapping.region);
            }
        });

        it("the secondary's consumers read the replica's stream enabled and read in us-west-2, not the provider's replica attribute", () => {
            const replica = one(s, REPLICA_STREAM, "global-secondary-replica-stream");
            const table = ofType(s, "aws:dynamodb/table:Table")[0];
            expect(replica.inputs).to.include({ region: "us-west-2", tableName: table.inputs.name, viewType: "NEW_AND_OLD_IMAGES" });
            for (const name of ["global-secondary-receipt-finisher-stream", "ledger-secondary-projector-stream"]) {
                expect(one(s, "aws:lambda/eventSourceMapping:EventSourceMapping", name).inputs.eventSourceArn, name).to.equal(replica.state.streamArn);
            }
            expect(replica.dependsOn).to.include(table.urn);
        });

        it("no cluster of the global database has an RDS-managed master password", () => {
            const members = ofType(s, "aws:rds/cluster:Cluster").filter((c) => c.inputs.globalClusterIdentifier);
            expect(members).to.have.length(2);
            for (const cluster of members) {
                expect(cluster.inputs.manageMasterUserPassword, cluster.name).to.equal(undefined);
            }
        });
    });

    describe("a missing stream stops the program with a RunError naming it", () => {
        const withoutStream = (match: (type: string, name: string) => boolean) =>
            synthesize("prod-variant", readStackConfig("prod"), "payments-dr", {
                stateOverride: (type, name, state) => (match(type, name) ? { ...state, streamArn: "" } : undefined),
            });

        it("the replica's stream (us-west-2)", async () => {
            const error = await withoutStream((type) => type === REPLICA_STREAM).then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(error).to.be.instanceOf(MissingStreamError);
            expect((error as Error).message).to.match(/^the transactions table transactions-table-prod-\w+ has no stream in us-west-2 \(secondary\)/);
        });

        it("the home table's stream (us-east-1)", async () => {
            const error = await withoutStream((type) => type === "aws:dynamodb/table:Table").then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(error).to.be.instanceOf(MissingStreamError);
            expect((error as Error).message).to.include("has no stream in us-east-1 (primary)");
        });

        it("accepts only a stream ARN", () => {
            const ok = "arn:aws:dynamodb:us-west-2:123456789012:table/t/stream/2026-01-01T00:00:00.000";
            expect(requireStreamArn("secondary", "us-west-2", "t", ok)).to.equal(ok);
            for (const bad of [undefined, "", "arn:aws:dynamodb:us-west-2:123456789012:table/t"]) {
                expect(() => requireStreamArn("secondary", "us-west-2", "t", bad), String(bad)).to.throw(MissingStreamError);
            }
        });
    });

    describe("ensureReplicaStream (DynamoDB API mocked)", () => {
        // Made in before(): another file's mock of the same client class restores its prototype when it is done.
        let ddb: ReturnType<typeof mockClient>;
        before(() => (ddb = mockClient(DynamoDBClient)));
        const client = new DynamoDBClient({ region: "us-west-2", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
        const arn = "arn:aws:dynamodb:us-west-2:123456789012:table/t/stream/2026-01-01T00:00:00.000";
        const fast = { attempts: 3, delayMs: 1 };
        afterEach(() => ddb.reset());
        after(() => ddb.restore());

        it("enables NEW_AND_OLD_IMAGES on a replica without a stream and waits for its ARN", async () => {
            ddb.on(DescribeTableCommand)
                .resolvesOnce({ Table: { TableName: "t" } })
                .resolvesOnce({ Table: { TableName: "t", StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } } })
                .resolves({
                    Table: { TableName: "t", StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" }, LatestStreamArn: arn },
                });
            ddb.on(UpdateTableCommand).resolves({});
            expect(await ensureReplicaStream(client, "t", "NEW_AND_OLD_IMAGES", fast)).to.equal(arn);
            const updates = ddb.commandCalls(UpdateTableCommand);
            expect(updates).to.have.length(1);
            expect(updates[0].args[0].input).to.deep.equal({
                TableName: "t",
                StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
            });
        });

        it("only reads the ARN of a replica that streams already (eventual consistency)", async () => {
            ddb.on(DescribeTableCommand).resolves({
                Table: { TableName: "t", StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" }, LatestStreamArn: arn },
            });
            expect(await ensureReplicaStream(client, "t", "NEW_AND_OLD_IMAGES", fast)).to.equal(arn);
            expect(ddb.commandCalls(UpdateTableCommand)).to.have.length(0);
        });

        it("refuses a stream of another view type, and a stream that never appears", async () => {
            ddb.on(DescribeTableCommand).resolves({ Table: { TableName: "t", StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" } } });
            await ensureReplicaStream(client, "t", "NEW_AND_OLD_IMAGES", fast).then(
                () => expect.fail("accepted KEYS_ONLY"),
                (e: Error) => expect(e.message).to.include("already streams KEYS_ONLY"),
            );
            ddb.reset();
            ddb.on(DescribeTableCommand).resolves({ Table: { TableName: "t" } });
            await ensureReplicaStream(client, "t", "NEW_AND_OLD_IMAGES", fast).then(
                () => expect.fail("returned without a stream"),
                (e: Error) => expect(e.message).to.equal("table t has no stream after 3 checks"),
            );
        });
    });

    it("the every-option config turns on what it says", () => {
        expect(Object.keys(EVERY_OPTION)).to.include.members(["ledger", "regionSwitchPlan", "gameDays", "canarySchedule"]);
    });
});
