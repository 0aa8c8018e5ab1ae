import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** A YAML file that does not parse, reported as `<file>:<line>:<column>: <reason>` (what editors jump to). */
export class YamlSyntaxError extends Error {}

export function readYaml(file: string): unknown {
    try {
        return yaml.load(fs.readFileSync(file, "utf8"));
    } catch (err) {
        if (err instanceof yaml.YAMLException) {
            const where = err.mark ? `${path.basename(file)}:${err.mark.line + 1}:${err.mark.column + 1}` : path.basename(file);
            throw new YamlSyntaxError(`${where}: YAML syntax error: ${err.reason}`);
        }
        throw err;
    }
}
