import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { readStackConfig } from "../scripts/synth/stack-config";
import { Synthesis, synthesize } from "../scripts/synth/synthesize";
import { EVERY_OPTION } from "./support/every-option";

const ROOT = path.join(__dirname, "..");
/** The product: what deploys, runs in Lambda, runs as an operator, or checks a stack. */
const PRODUCT = ["index.ts", "components", "functions", "policy", "scripts", "clients"];
const AWS_PARTITION_ARN = /arn:aws:/;

function sourceFiles(entry: string): string[] {
    const full = path.join(ROOT, entry);
    if (fs.statSync(full).isFile()) {
        return [entry];
    }
    return fs
        .readdirSync(full, { withFileTypes: true })
        .filter((d) => d.name !== "node_modules" && d.name !== "bin" && !d.name.startsWith("."))
        .flatMap((d) => sourceFiles(path.join(entry, d.name)));
}

/** Every literal `arn:aws:` in the given product files (code, comments, messages, config), as `file:line: text`. */
export function literalAwsPartitionArns(files: readonly string[], read: (file: string) => string): string[] {
    return files.flatMap((file) =>
        read(file)
            .split("\n")
            .flatMap((line, i) => (AWS_PARTITION_ARN.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
}

/** Every string in the registered resources' inputs (policies are JSON strings) that names the `aws` partition. */
export function awsPartitionInputs(s: Synthesis): string[] {
    return s.resources.flatMap((r) => (JSON.stringify(r.inputs).match(/[^"\\]*arn:aws:[^"\\]*/g) ?? []).map((value) => `${r.type} ${r.name}: ${value}`));
}

describe("partition: no ARN names the aws partition literally", () => {
    it("no product source file (components, functions, index.ts, policy, scripts, clients) contains `arn:aws:`", () => {
        const files = PRODUCT.flatMap(sourceFiles);
        expect(files.length).to.be.greaterThan(100);
        expect(literalAwsPartitionArns(files, (f) => fs.readFileSync(path.join(ROOT, f), "utf8"))).to.deep.equal([]);
    });

    it("the scan finds a literal ARN, in code or comments (test of the test)", () => {
        const fake: Record<string, string> = { "a.ts": "const ok = `arn:${p}:s3:::b`;\n// arn:aws:iam::x\n", "b.ts": "x = 'arn:aws:logs:'" };
        expect(literalAwsPartitionArns(Object.keys(fake), (f) => fake[f])).to.deep.equal(["a.ts:2: // arn:aws:iam::x", "b.ts:1: x = 'arn:aws:logs:'"]);
    });
});

describe("partition: a stack whose provider answers aws-cn names no aws-partition ARN (mocked runtime)", () => {
    let s: Synthesis;
    before(async () => {
        const config: Record<string, string> = { ...readStackConfig("prod") };
        for (const [key, value] of Object.entries(EVERY_OPTION)) {
            config[`payments-dr:${key}`] = value;
        }
        s = await synthesize("prod-aws-cn", config, "payments-dr", { partition: "aws-cn" });
    });

    it("the mock answers aws-cn: the stack's keys, roles and table have aws-cn ARNs", () => {
        const arns = s.resources.filter((r) => ["aws:kms/key:Key", "aws:iam/role:Role", "aws:dynamodb/table:Table"].includes(r.type)).map((r) => r.state.arn);
        expect(arns.length).to.be.greaterThan(10);
        expect(
            arns.every((arn) => String(arn).startsWith("arn:aws-cn:")),
            arns.join(", "),
        ).to.equal(true);
    });

    it("no input of any registered resource (policies, ARNs, stop conditions, trust) contains `arn:aws:`", () => {
        expect(awsPartitionInputs(s)).to.deep.equal([]);
    });

    it("the input check finds a policy that hard-codes the partition (test of the test)", () => {
        const policy = s.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!;
        const seeded = {
            ...policy,
            inputs: { ...policy.inputs, policy: JSON.stringify({ Statement: [{ Resource: "arn:aws:logs:us-east-1:1:log-group:x" }] }) },
        };
        expect(awsPartitionInputs({ ...s, resources: [seeded] })).to.deep.equal([`${policy.type} ${policy.name}: arn:aws:logs:us-east-1:1:log-group:x`]);
    });
});
