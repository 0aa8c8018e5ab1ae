import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { MRSC_REGION_SETS, strongTableProblems } from "../components/global/consistency";
import { parseStackSettings } from "../program/config";
import { problemsOf, VALID_CONFIG as VALID } from "./support/config-problems";

const PROD = { environment: "prod", targetTps: "100" };

describe("consistency config (consistency, witnessRegion)", () => {
    it("defaults prod to strong with the free US Region as witness, and other environments to eventual", () => {
        expect(parseStackSettings({ ...VALID, ...PROD }).consistency).to.deep.equal({ mode: "strong", witnessRegion: "us-east-2" });
        expect(parseStackSettings(VALID).consistency).to.deep.equal({ mode: "eventual" });
        expect(parseStackSettings({ ...VALID, environment: "staging" }).consistency).to.deep.equal({ mode: "eventual" });
        expect(parseStackSettings({ ...VALID, consistency: "strong" }).consistency).to.deep.equal({ mode: "strong", witnessRegion: "us-east-2" });
    });

    it("takes an explicit witness from the replicas' Region set", () => {
        const eu = { ...VALID, consistency: "strong", primaryRegion: "eu-west-1", secondaryRegion: "eu-central-1", witnessRegion: "eu-west-3" };
        expect(parseStackSettings(eu).consistency).to.deep.equal({ mode: "strong", witnessRegion: "eu-west-3" });
        const ap = { ...VALID, consistency: "strong", primaryRegion: "ap-northeast-1", secondaryRegion: "ap-northeast-3" };
        expect(parseStackSettings(ap).consistency).to.deep.equal({ mode: "strong", witnessRegion: "ap-northeast-2" });
    });

    it("knows AWS's three Region sets", () => {
        expect(MRSC_REGION_SETS).to.deep.equal({
            US: ["us-east-1", "us-east-2", "us-west-2"],
            EU: ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
            AP: ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
        });
    });

    const refusals: Array<[string, Record<string, string>, string[]]> = [
        [
            "an unknown mode",
            { consistency: "linearizable" },
            [
                '`payments-dr:consistency` is "linearizable": must be strong (DynamoDB multi-Region strong consistency: RPO 0, a ' +
                    "witness Region) or eventual (asynchronous replication, conflicts detected and reported); a global table's " +
                    "consistency mode is fixed when the table is created (AWS cannot change it): on a deployed stack, changing " +
                    "`consistency` needs a new table and a data migration (see the README's consistency section).",
            ],
        ],
        [
            "strong across two Region sets",
            { consistency: "strong", primaryRegion: "us-east-1", secondaryRegion: "eu-west-1" },
            [
                '`payments-dr:consistency` is "strong": needs `payments-dr:primaryRegion` (us-east-1) and `payments-dr:secondaryRegion` ' +
                    "(eu-west-1) in one multi-Region strong consistency Region set (US us-east-1, us-east-2, us-west-2; EU eu-west-1, " +
                    "eu-west-2, eu-west-3, eu-central-1; AP ap-northeast-1, ap-northeast-2, ap-northeast-3); choose two Regions of one " +
                    "set or set consistency to eventual.",
            ],
        ],
        [
            "strong in Regions of no set (prod's default mode)",
            { ...PROD, primaryRegion: "ca-central-1", secondaryRegion: "us-west-1" },
            [
                '`payments-dr:consistency` is "strong": needs `payments-dr:primaryRegion` (ca-central-1) and `payments-dr:secondaryRegion` ' +
                    "(us-west-1) in one multi-Region strong consistency Region set (US us-east-1, us-east-2, us-west-2; EU eu-west-1, " +
                    "eu-west-2, eu-west-3, eu-central-1; AP ap-northeast-1, ap-northeast-2, ap-northeast-3); choose two Regions of one " +
                    "set or set consistency to eventual.",
            ],
        ],
        [
            "a witness equal to a replica Region",
            { consistency: "strong", witnessRegion: "us-west-2" },
            ['`payments-dr:witnessRegion` is "us-west-2": must differ from both replica Regions (us-east-1, us-west-2); use one of us-east-2.'],
        ],
        [
            "a witness outside the replicas' set",
            { consistency: "strong", witnessRegion: "eu-west-1" },
            [
                '`payments-dr:witnessRegion` is "eu-west-1": must be in the same multi-Region strong consistency Region set as the replicas (US): one of us-east-2.',
            ],
        ],
        [
            "no witness where the set leaves a choice (EU)",
            { consistency: "strong", primaryRegion: "eu-west-1", secondaryRegion: "eu-central-1" },
            [
                "`payments-dr:witnessRegion` is missing: `payments-dr:consistency` strong needs a witness Region from the EU set " +
                    "other than eu-west-1 and eu-central-1 (one of eu-west-2, eu-west-3; pulumi config set witnessRegion eu-west-2).",
            ],
        ],
        [
            "a witness in eventual mode",
            { consistency: "eventual", witnessRegion: "us-east-2" },
            ['`payments-dr:witnessRegion` is "us-east-2": applies only when `payments-dr:consistency` is strong; remove it.'],
        ],
    ];
    for (const [what, overrides, messages] of refusals) {
        it(`refuses ${what} with exact messages`, () => {
            expect(problemsOf(overrides)).to.deep.equal(messages);
        });
    }

    it("lists what an MRSC table cannot have, and passes the table the program builds", () => {
        expect(strongTableProblems({ ttlEnabled: false, localSecondaryIndexes: 0, usesTransactions: false })).to.deep.equal([]);
        expect(strongTableProblems({ ttlEnabled: true, localSecondaryIndexes: 1, usesTransactions: true })).to.deep.equal([
            "Time to Live is not supported on a multi-Region strong consistency table: remove the table's ttl",
            "local secondary indexes are not supported on a multi-Region strong consistency table: use a global secondary index",
            "transactions (TransactWriteItems, TransactGetItems) are not supported on a multi-Region strong consistency table",
        ]);
    });

    it("has a processor that uses no DynamoDB transactions (MRSC refuses them)", () => {
        const directory = path.join(__dirname, "..", "functions");
        const sources = fs
            .readdirSync(directory, { recursive: true, encoding: "utf8" })
            .filter((file) => file.endsWith(".ts"))
            .map((file) => fs.readFileSync(path.join(directory, file), "utf8"));
        expect(sources.length).to.be.greaterThan(10);
        for (const source of sources) {
            expect(source).to.not.match(/Transact(Write|Get)(Items)?Command|ExecuteTransaction/);
        }
    });
});
