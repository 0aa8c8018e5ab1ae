import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackConfigFile } from "../scripts/synth/stack-config";
import { YamlSyntaxError } from "../scripts/synth/yaml-file";

const ROOT = path.join(__dirname, "..");

/** A project directory with the real Pulumi.yaml and the given stack file. */
function projectWith(stackFile: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "payments-dr-config-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "Pulumi.team.yaml"), stackFile);
    return dir;
}

describe("reading a stack file as the Pulumi CLI would (offline preview)", () => {
    it("applies Pulumi.yaml's defaults to keys the stack does not set, and keeps the stack's own values", () => {
        const { config, notes } = readStackConfigFile("team", projectWith('config:\n  payments-dr:environment: dev\n  payments-dr:lambdaMemoryMb: "2048"\n'));
        expect(config).to.include({
            "payments-dr:environment": "dev",
            "payments-dr:lambdaMemoryMb": "2048",
            "payments-dr:lambdaTimeoutSeconds": "10",
            "payments-dr:nameSuffix": "",
            "pulumi:disable-default-providers": '["aws"]',
        });
        expect(notes).to.deep.equal([]);
    });

    it("stands in for encrypted values it cannot decrypt, and says which", () => {
        const file = readStackConfigFile(
            "team",
            projectWith(
                "config:\n  payments-dr:environment: dev\n  payments-dr:alarmEmail:\n    secure: v1:AAAABBBBCCCC\n  payments-dr:owner:\n    secure: v1:DDDD\n",
            ),
        );
        expect(file.config["payments-dr:alarmEmail"]).to.equal("secret-stand-in@example.invalid");
        expect(file.config["payments-dr:owner"]).to.equal("secret-stand-in");
        expect(file.secretKeys).to.deep.equal(["payments-dr:alarmEmail", "payments-dr:owner"]);
        expect(file.notes).to.deep.equal([
            'Pulumi.team.yaml: `payments-dr:alarmEmail` is encrypted (secure), which the offline preview cannot decrypt; it stood in "secret-stand-in@example.invalid" for it',
            'Pulumi.team.yaml: `payments-dr:owner` is encrypted (secure), which the offline preview cannot decrypt; it stood in "secret-stand-in" for it',
        ]);
    });

    it("warns that it cannot resolve an ESC environment block", () => {
        const { notes } = readStackConfigFile("team", projectWith("environment:\n  - payments/prod\nconfig:\n  payments-dr:environment: prod\n"));
        expect(notes).to.deep.equal([
            "Pulumi.team.yaml imports Pulumi ESC environment payments/prod, which the offline preview cannot resolve: config they " +
                "provide is missing here (and reported as missing if required); `pulumi preview` resolves them",
        ]);
    });

    it("warns that aws:region is unused, and says aws:profile reaches the providers", () => {
        const { notes } = readStackConfigFile("team", projectWith("config:\n  aws:region: eu-west-1\n  aws:profile: payments-admin\n"));
        expect(notes).to.deep.equal([
            "`aws:region` is eu-west-1 but unused: every resource uses an explicit provider whose region is `payments-dr:primaryRegion` " +
                "or `payments-dr:secondaryRegion` (plus us-east-1 for Route 53 metrics); remove it",
            "`aws:profile` payments-admin is passed to every explicit provider (the credentials `pulumi up` uses)",
        ]);
    });

    it("names the file, line and column of a YAML syntax error", () => {
        const dir = projectWith("config:\n  payments-dr:environment: dev\n  payments-dr:owner: [unclosed\n");
        expect(() => readStackConfigFile("team", dir)).to.throw(YamlSyntaxError, /^Pulumi\.team\.yaml:4:1: YAML syntax error: /);
    });
});
