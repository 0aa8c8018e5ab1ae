import { expect } from "chai";
import { parseStackSettings } from "../program/config";
import { problemsOf, VALID_CONFIG as VALID } from "./support/config-problems";
import { isSecret, lambdaEnv, ofType, stack, stackWith } from "./support/stacks";

const KEY = Buffer.alloc(32, 9).toString("base64");

describe("API security config (transactionIdKey, legacyTransactionIdsUntil, merchantRateLimit, merchantBurst)", () => {
    it("defaults: no configured key (one is generated), no migration lookup, no merchant limit", () => {
        const dev = parseStackSettings(VALID);
        expect([dev.transactionIdKey, dev.legacyTransactionIdsUntil, dev.merchantLimit]).to.deep.equal([undefined, undefined, undefined]);
    });

    it("reads every key", () => {
        const s = parseStackSettings({
            ...VALID,
            transactionIdKey: KEY,
            legacyTransactionIdsUntil: "2027-03-31",
            merchantRateLimit: "5",
            merchantBurst: "20",
        });
        expect(s).to.deep.include({
            transactionIdKey: KEY,
            legacyTransactionIdsUntil: "2027-03-31",
            merchantLimit: { ratePerSecond: 5, burst: 20 },
        });
    });

    it("refuses bad values with exact messages, never echoing the secret", () => {
        const short = Buffer.alloc(16, 1).toString("base64");
        const keyProblems = problemsOf({ transactionIdKey: short });
        expect(keyProblems).to.deep.equal([
            '`payments-dr:transactionIdKey` is "(secret, not shown)": must be base64 of at least 32 random bytes ' +
                '(pulumi config set --secret transactionIdKey "$(openssl rand -base64 32)").',
        ]);
        expect(keyProblems.join()).to.not.contain(short);
        expect(problemsOf({ legacyTransactionIdsUntil: "2027-02-30" })).to.deep.equal([
            '`payments-dr:legacyTransactionIdsUntil` is "2027-02-30": must be a date YYYY-MM-DD (the last day a key used before keyed ids may be replayed).',
        ]);
        expect(problemsOf({ merchantRateLimit: "5" })).to.deep.equal([
            '`payments-dr:merchantRateLimit` is "5": needs `payments-dr:merchantRateLimit` and `payments-dr:merchantBurst` together (set both, or neither for no limit).',
        ]);
        expect(problemsOf({ merchantRateLimit: "10", merchantBurst: "5" })).to.deep.equal([
            '`payments-dr:merchantBurst` is "5": must be at least `payments-dr:merchantRateLimit` (10).',
        ]);
        expect(problemsOf({ merchantRateLimit: "0", merchantBurst: "5" })).to.deep.equal([
            '`payments-dr:merchantRateLimit` is "0": must be an integer from 1 to 100000 (requests per second per merchant and execution environment).',
        ]);
    });

    it("gives both regions' processors one secret id key, generated once when none is configured (mocked runtime)", async () => {
        const s = await stack("dev");
        const keys = ofType(s, "random:index/randomBytes:RandomBytes");
        expect(keys.map((k) => [k.name, k.inputs.length])).to.deep.equal([["transaction-id-key", 32]]);
        const processors = ofType(s, "aws:lambda/function:Function").filter((f) => f.name.endsWith("-processor"));
        expect(processors).to.have.length(2);
        const idKeys = processors.map((f) => lambdaEnv(f).TRANSACTION_ID_KEY as string);
        expect(Buffer.from(idKeys[0], "base64")).to.have.length(32);
        expect(idKeys[1]).to.equal(idKeys[0]);
        // The environment travels as a secret: encrypted in the state, masked in previews.
        expect(processors.every((f) => isSecret(f.inputs.environment))).to.equal(true);
    });

    it("uses the configured key, the migration window and the merchant limit in both regions", async () => {
        const s = await stackWith("dev", { transactionIdKey: KEY, legacyTransactionIdsUntil: "2027-03-31", merchantRateLimit: "5", merchantBurst: "20" });
        expect(ofType(s, "random:index/randomBytes:RandomBytes")).to.have.length(0);
        for (const fn of ofType(s, "aws:lambda/function:Function").filter((f) => f.name.endsWith("-processor"))) {
            expect(lambdaEnv(fn)).to.include({ TRANSACTION_ID_KEY: KEY, LEGACY_IDS_UNTIL: "2027-03-31", MERCHANT_RATE_LIMIT: "5", MERCHANT_BURST: "20" });
        }
    });
});
