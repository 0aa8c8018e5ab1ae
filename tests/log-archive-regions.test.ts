import { expect } from "chai";
import { RecordedResource, Synthesis } from "../scripts/synth/synthesize";
import { everyOptionStack } from "./support/every-option";
import { ofType, stack, stackWith } from "./support/stacks";

const STREAM_TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const BUCKET_TYPE = "aws:s3/bucket:Bucket";

/**
 * Firehose delivers to S3 only in its own region (cross-region delivery is documented for HTTP endpoints only:
 * https://docs.aws.amazon.com/firehose/latest/dev/across.html). For each registered delivery stream: the bucket it
 * writes to, found among the registered buckets by ARN (an S3 ARN has no region), and the regions of the providers
 * both were created through. Returns one line per stream whose bucket is elsewhere or unknown.
 */
export function crossRegionDeliveries(s: Synthesis): string[] {
    const buckets = ofType(s, BUCKET_TYPE);
    return ofType(s, STREAM_TYPE).flatMap((stream): string[] => {
        const destination = stream.inputs.extendedS3Configuration ?? stream.inputs.s3Configuration;
        if (destination === undefined) {
            return [];
        }
        const bucket = buckets.find((b) => b.state.arn === destination.bucketArn);
        if (bucket === undefined) {
            return [`${stream.name} (${stream.region}) writes to ${destination.bucketArn}, which is no bucket of the stack`];
        }
        return bucket.region === stream.region ? [] : [`${stream.name} (${stream.region}) writes to ${bucket.name} in ${bucket.region}`];
    });
}

describe("log archive: every Firehose stream delivers to a bucket in its own region (mocked runtime)", () => {
    const cases: Array<[string, () => Promise<Synthesis>]> = [
        ["prod", () => stack("prod")],
        ["prod with every option", everyOptionStack],
        ["dev with the log archive on", () => stackWith("dev", { logArchive: "true" })],
    ];
    for (const [label, synthesis] of cases) {
        it(`${label}: two streams, one per region, each writing within its region`, async () => {
            const s = await synthesis();
            const streams = ofType(s, STREAM_TYPE);
            expect(streams.map((st) => st.region).sort()).to.deep.equal(["us-east-1", "us-west-2"]);
            expect(crossRegionDeliveries(s)).to.deep.equal([]);
        });
    }

    it("reports a stream whose bucket is in the other region, or not in the stack (test of the check)", async () => {
        const s = await stack("prod");
        const moved = (r: RecordedResource): RecordedResource =>
            r.type === BUCKET_TYPE && r.name === "log-archive-primary-bucket" ? { ...r, region: "us-west-2" } : r;
        expect(crossRegionDeliveries({ ...s, resources: s.resources.map(moved) })).to.deep.equal([
            "log-archive-primary-stream (us-east-1) writes to log-archive-primary-bucket in us-west-2",
        ]);
        const withoutBuckets = { ...s, resources: s.resources.filter((r) => r.type !== BUCKET_TYPE) };
        expect(crossRegionDeliveries(withoutBuckets)).to.have.length(2);
    });
});
