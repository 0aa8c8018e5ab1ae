import { EVERY_OPTION } from "../../scripts/synth/every-option";
import { Synthesis } from "../../scripts/synth/synthesize";
import { stackWith } from "./stacks";

export { EVERY_OPTION };

let cached: Promise<Synthesis> | undefined;

/** Synthesized once per test process, like the committed stacks. */
export function everyOptionStack(): Promise<Synthesis> {
    cached ??= stackWith("prod", EVERY_OPTION);
    return cached;
}
