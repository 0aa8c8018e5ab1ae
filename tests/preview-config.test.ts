import { expect } from "chai";
import { parsePreviewArgs, PreviewDeps, PreviewUsageError, runOfflinePreview } from "../scripts/preview/run";
import { readStackConfig } from "../scripts/synth/stack-config";
import { stack } from "./support/stacks";

describe("offline preview: the config-reading side", () => {
    it("says to add `--` when npm swallowed the flags", () => {
        // `npm run preview:offline --stack prod`: npm keeps --stack (npm_config_stack) and passes only `prod` on.
        expect(() => parsePreviewArgs(["prod"], { npm_config_stack: "true" })).to.throw(
            PreviewUsageError,
            "Unexpected argument 'prod'. This command does not take positional arguments; npm took --stack for itself: put `--` " +
                "before the script's flags, e.g. `npm run preview:offline -- --stack <name>`",
        );
        expect(() => parsePreviewArgs([], { npm_config_stack: "prod" })).to.throw(
            PreviewUsageError,
            "--stack <name> is required; npm took --stack for itself: put `--` before the script's flags, e.g. `npm run preview:offline -- --stack prod`",
        );
        expect(() => parsePreviewArgs([], {})).to.throw(PreviewUsageError, /^--stack <name> is required$/);
        expect(parsePreviewArgs(["--stack", "dev"], { npm_config_stack: "true" })).to.deep.equal({ stack: "dev" });
    });

    it("prints what it could not read like the CLI as warnings, before the preview", async () => {
        let stderr = "";
        const deps: PreviewDeps = {
            readStackConfig: (name) => readStackConfig(name),
            readStackNotes: () => [
                'Pulumi.dev.yaml: `payments-dr:alarmEmail` is encrypted (secure), which the offline preview cannot decrypt; it stood in "x" for it',
            ],
            synthesize: async () => stack("dev"),
            writeFile: async () => undefined,
            stdout: () => undefined,
            stderr: (t) => (stderr += t),
        };
        const result = await runOfflinePreview({ stack: "dev" }, deps);
        expect(result.exitCode).to.equal(0);
        expect(stderr).to.equal(
            'preview:offline: warning: Pulumi.dev.yaml: `payments-dr:alarmEmail` is encrypted (secure), which the offline preview cannot decrypt; it stood in "x" for it\n',
        );
    });
});
