/**
 * `npm run preview:offline -- --stack <name> [--details] [--json <file>|-]`: what `pulumi preview --policy-pack
 * policy` would show, without AWS, the Pulumi CLI or the provider plugin. Validates the stack config first (no
 * synthesis on a bad config), runs the real program under the mocked runtime, prints the resource tree (names,
 * `[protect]`/`[retain]`), every policy violation, the program's notices, the recovery objectives and the stack
 * outputs. `--json -` prints the JSON document alone on stdout (the report goes to stderr). Exit codes: 0 clean
 * (advisories allowed); 1 a config problem, a mandatory violation, an objectives problem or a program error;
 * 2 usage.
 */
import { parseArgs } from "util";
import * as pulumi from "@pulumi/pulumi";
import { ALL_RULES, evaluate } from "../../policy/rules";
import { mandatory } from "../../policy/rules/evaluate";
import { fromSynthesis } from "../../policy/rules/view";
import { ConfigValidationError, parseStackSettings, RawConfig, StackSettings } from "../../program/config";
import { CONFIG_NAMESPACE } from "../../program/config-keys";
import { computeRecoveryObjectives, formatRecoveryObjectives } from "../../program/objectives";
import type { Synthesis } from "../synth/synthesize";
import { buildPreviewDocument, DocumentParts, documentJson, PreviewSummary } from "./document";
import { formatOutputs, redactOutputs } from "./outputs";
import { formatNotices, formatViolations, noticesOf } from "./report";
import { formatResourceTree } from "./tree";

export const USAGE = `Usage: npm run preview:offline -- --stack <name> [--details] [--json <file>|-]

  --stack <name>      the stack file to preview (Pulumi.<name>.yaml)
  --details           one line per resource in the tree, and every output in full
  --json <file>|-     also write the JSON document (resources sorted by URN, violations, notices, objectives,
                      outputs; secrets redacted) to <file>, or with - to stdout alone (the report goes to stderr)
  -h, --help          show this help

Exit codes: 0 no mandatory violation; 1 invalid config, mandatory policy violation, recovery-objectives
problem or program error; 2 usage.
`;

export interface PreviewOptions {
    readonly stack: string;
    /** A file name, or `-` for stdout. */
    readonly json?: string;
    readonly details?: boolean;
}

/** `--json -`: the document goes to stdout alone. */
export const JSON_TO_STDOUT = "-";

export interface PreviewDeps {
    readonly readStackConfig: (stack: string) => Record<string, string>;
    /** What the offline reading of the stack file could not do like the CLI (secrets, ESC) or found unused. */
    readonly readStackNotes?: (stack: string) => readonly string[];
    readonly synthesize: (stack: string, config: Record<string, string>) => Promise<Synthesis>;
    readonly writeFile: (path: string, text: string) => Promise<void>;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
}

export class PreviewUsageError extends Error {}

/**
 * `npm run preview:offline --stack prod` (no `--`) hands `--stack` to npm, which keeps it as its own config
 * (`npm_config_stack`) and passes only `prod` on: the flags the script needed never arrive.
 */
function npmSwallowedFlags(env: NodeJS.ProcessEnv): string | undefined {
    const swallowed = ["stack", "json"].filter((flag) => env[`npm_config_${flag}`] !== undefined);
    if (swallowed.length === 0) {
        return undefined;
    }
    const stack = env.npm_config_stack && env.npm_config_stack !== "true" ? env.npm_config_stack : "<name>";
    return (
        `npm took ${swallowed.map((f) => `--${f}`).join(" and ")} for itself: put \`--\` before the script's flags, ` +
        `e.g. \`npm run preview:offline -- --stack ${stack}\``
    );
}

export function parsePreviewArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): PreviewOptions | "help" {
    const hint = npmSwallowedFlags(env);
    const withHint = (message: string) => new PreviewUsageError(hint ? `${message}; ${hint}` : message);
    let values: { stack?: string; json?: string; details?: boolean; help?: boolean };
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: { stack: { type: "string" }, json: { type: "string" }, details: { type: "boolean" }, help: { type: "boolean", short: "h" } },
            strict: true,
            allowPositionals: false,
        }));
    } catch (err) {
        throw withHint((err as Error).message);
    }
    if (values.help) {
        return "help";
    }
    if (!values.stack || values.stack.startsWith("-")) {
        throw withHint("--stack <name> is required");
    }
    if (values.json !== undefined && values.json !== JSON_TO_STDOUT && (values.json === "" || values.json.startsWith("-"))) {
        throw new PreviewUsageError("--json needs a file name, or - for stdout");
    }
    return { stack: values.stack, ...(values.json !== undefined ? { json: values.json } : {}), ...(values.details ? { details: true } : {}) };
}

/** The project's keys without their namespace (what parseStackSettings takes); other namespaces are left out. */
export function projectConfig(config: Readonly<Record<string, string>>, project = CONFIG_NAMESPACE): RawConfig {
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith(`${project}:`)) {
            raw[key.slice(project.length + 1)] = value;
        }
    }
    return raw;
}

export interface PreviewResult {
    readonly exitCode: number;
    readonly settings?: StackSettings;
    readonly mandatoryViolations: number;
    readonly advisoryViolations: number;
    readonly objectivesProblems: number;
}

/** Runs the offline preview; prints through `deps` and returns the exit code instead of exiting. */
export async function runOfflinePreview(options: PreviewOptions, deps: PreviewDeps): Promise<PreviewResult> {
    const failed = (extra: Partial<PreviewResult> = {}): PreviewResult => ({
        exitCode: 1,
        mandatoryViolations: 0,
        advisoryViolations: 0,
        objectivesProblems: 0,
        ...extra,
    });

    let config: Record<string, string>;
    try {
        config = deps.readStackConfig(options.stack);
        for (const note of deps.readStackNotes?.(options.stack) ?? []) {
            deps.stderr(`preview:offline: warning: ${note}\n`);
        }
    } catch (err) {
        deps.stderr(`preview:offline: ${(err as Error).message}\n`);
        return failed();
    }
    let settings: StackSettings;
    try {
        settings = parseStackSettings(projectConfig(config), CONFIG_NAMESPACE, options.stack);
    } catch (err) {
        if (err instanceof ConfigValidationError) {
            deps.stderr(`preview:offline: stack ${options.stack} has an invalid configuration; nothing was synthesized.\n${err.message}\n`);
            return failed();
        }
        throw err;
    }

    // With `--json -` stdout carries the document alone; the report goes to stderr.
    const say = options.json === JSON_TO_STDOUT ? deps.stderr : deps.stdout;
    const writeDocument = async (parts: Omit<DocumentParts, "stack" | "objectives">) => {
        if (!options.json) {
            return;
        }
        const text = documentJson(await buildPreviewDocument({ stack: options.stack, objectives, ...parts }));
        if (options.json === JSON_TO_STDOUT) {
            deps.stdout(text);
        } else {
            await deps.writeFile(options.json, text);
            say(`JSON document written to ${options.json} (${parts.resources.length} resources sorted by URN, secrets redacted)\n`);
        }
    };

    say(`Previewing ${CONFIG_NAMESPACE} (stack ${options.stack}) offline: real program, mocked runtime, no AWS calls\n\n`);
    // The program stops on missed objectives before registering anything (RecoveryObjectivesError); so does this.
    const objectives = computeRecoveryObjectives(settings);
    if (objectives.problems.length > 0) {
        const count = objectives.problems.length;
        say(`${formatRecoveryObjectives(objectives)}\n\n`);
        const summary: PreviewSummary = { passed: false, mandatoryViolations: 0, advisoryViolations: 0, objectivesProblems: count };
        await writeDocument({ summary, resources: [], violations: [], notices: [], outputs: {} });
        say(
            `Offline preview FAILED: ${count} recovery-objectives problem${count === 1 ? "" : "s"} (the program stops on ${count === 1 ? "it" : "them"} too; nothing was synthesized).\n`,
        );
        return failed({ settings, objectivesProblems: count });
    }
    let synthesis: Synthesis;
    try {
        synthesis = await deps.synthesize(options.stack, config);
    } catch (err) {
        // A RunError is the program's own clean refusal: its message, as the CLI prints it, without a stack trace.
        const text = pulumi.RunError.isInstance(err) ? err.message : ((err as Error).stack ?? String(err));
        deps.stderr(`preview:offline: the program failed: ${text}\n`);
        return failed({ settings });
    }

    const resources = synthesis.resources;
    const details = options.details === true;
    say(`${formatResourceTree(options.stack, CONFIG_NAMESPACE, resources, { details })}\n\nResources: ${resources.length} to create\n\n`);

    const violations = await evaluate(fromSynthesis(resources), ALL_RULES);
    const mandatoryCount = mandatory(violations).length;
    say(`${formatViolations(violations, resources, ALL_RULES.length)}\n\n`);

    const notices = noticesOf(synthesis.outputs);
    if (notices.length > 0) {
        say(`${formatNotices(notices)}\n\n`);
    }

    say(`${formatRecoveryObjectives(objectives)}\n\n`);

    const outputs = redactOutputs(synthesis.outputs, synthesis.secretOutputs);
    say(`${formatOutputs(outputs, details)}\n\n`);

    const summary: PreviewSummary = {
        passed: mandatoryCount === 0,
        mandatoryViolations: mandatoryCount,
        advisoryViolations: violations.length - mandatoryCount,
        objectivesProblems: 0,
    };
    await writeDocument({ summary, resources, violations, notices, outputs });

    const problems = mandatoryCount > 0 ? [`${mandatoryCount} mandatory policy violation${mandatoryCount === 1 ? "" : "s"}`] : [];
    say(problems.length === 0 ? "Offline preview passed.\n" : `Offline preview FAILED: ${problems.join(", ")}.\n`);
    return {
        exitCode: problems.length === 0 ? 0 : 1,
        settings,
        mandatoryViolations: mandatoryCount,
        advisoryViolations: violations.length - mandatoryCount,
        objectivesProblems: 0,
    };
}
