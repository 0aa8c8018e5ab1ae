import { expect } from "chai";
import {
    dynamodbNoLegacyGlobalTable,
    dynamodbPointInTimeRecovery,
    dynamodbReplicaKeyInRegion,
    dynamodbReplicaNotInHomeRegion,
    dynamodbReplicaStreams,
} from "../../policy/rules/dynamodb";
import { EAST, KEY_EAST, KEY_WEST, messages, view, WEST } from "./support";

const replica = { regionName: WEST, kmsKeyArn: KEY_WEST, pointInTimeRecovery: true };
const table = (props: Record<string, unknown> = {}) =>
    view({
        type: "aws:dynamodb/table:Table",
        name: "transactions",
        region: EAST,
        props: {
            streamEnabled: true,
            streamViewType: "NEW_AND_OLD_IMAGES",
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true, kmsKeyArn: KEY_EAST },
            replicas: [replica],
            ...props,
        },
    });

describe("policy: DynamoDB global table", () => {
    describe("dynamodb-point-in-time-recovery", () => {
        it("flags PITR off on the table and on a replica (replicas do not inherit it)", async () => {
            expect(await messages(dynamodbPointInTimeRecovery, table({ pointInTimeRecovery: { enabled: false } }))).to.have.length(1);
            const found = await messages(dynamodbPointInTimeRecovery, table({ replicas: [{ ...replica, pointInTimeRecovery: false }] }));
            expect(found).to.deep.equal([
                "replica us-west-2: `pointInTimeRecovery` is not true; replicas do not inherit it (changing it later recreates the replica).",
            ]);
            expect(await messages(dynamodbPointInTimeRecovery, view({ type: "aws:dynamodb/tableReplica:TableReplica", props: {} }))).to.have.length(1);
        });

        it("passes PITR on both", async () => {
            expect(await messages(dynamodbPointInTimeRecovery, table())).to.deep.equal([]);
        });
    });

    describe("dynamodb-replica-streams", () => {
        it("flags replicas without a stream, or with the wrong view type", async () => {
            expect(await messages(dynamodbReplicaStreams, table({ streamEnabled: false, streamViewType: undefined }))).to.have.length(2);
            expect(await messages(dynamodbReplicaStreams, table({ streamViewType: "NEW_IMAGE" }))).to.have.length(1);
        });

        it("passes NEW_AND_OLD_IMAGES, and a table without replicas needs no stream", async () => {
            expect(await messages(dynamodbReplicaStreams, table())).to.deep.equal([]);
            expect(await messages(dynamodbReplicaStreams, table({ replicas: [], streamEnabled: false }))).to.deep.equal([]);
        });
    });

    describe("dynamodb-replica-not-in-home-region", () => {
        it("flags a replica in the table's own region", async () => {
            const found = await messages(dynamodbReplicaNotInHomeRegion, table({ replicas: [replica, { ...replica, regionName: EAST, kmsKeyArn: KEY_EAST }] }));
            expect(found).to.deep.equal(["replica us-east-1 is the table's own region (us-east-1): DynamoDB refuses it; list only the other regions."]);
        });

        it("passes replicas elsewhere", async () => {
            expect(await messages(dynamodbReplicaNotInHomeRegion, table())).to.deep.equal([]);
        });
    });

    describe("dynamodb-replica-key-in-region", () => {
        it("flags a replica keyed with the home region's key", async () => {
            const found = await messages(dynamodbReplicaKeyInRegion, table({ replicas: [{ ...replica, kmsKeyArn: KEY_EAST }] }));
            expect(found).to.deep.equal(["replica us-west-2: `kmsKeyArn` is a key in us-east-1; a replica in us-west-2 needs a key from us-west-2."]);
        });

        it("passes each replica on its own region's key", async () => {
            expect(await messages(dynamodbReplicaKeyInRegion, table())).to.deep.equal([]);
            expect(
                await messages(
                    dynamodbReplicaKeyInRegion,
                    view({ type: "aws:dynamodb/tableReplica:TableReplica", region: WEST, props: { kmsKeyArn: KEY_WEST } }),
                ),
            ).to.deep.equal([]);
        });
    });

    describe("dynamodb-no-legacy-global-table", () => {
        it("flags aws.dynamodb.GlobalTable and passes aws.dynamodb.Table", async () => {
            expect(await messages(dynamodbNoLegacyGlobalTable, view({ type: "aws:dynamodb/globalTable:GlobalTable", props: { name: "t" } }))).to.have.length(1);
            expect(await messages(dynamodbNoLegacyGlobalTable, table())).to.deep.equal([]);
        });
    });
});
