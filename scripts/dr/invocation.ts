/**
 * The bundle's file name (e.g. `failover.cjs`), defined by the DR tools' build (scripts/dr-tools/bundle.ts);
 * not defined when a script runs from the repository.
 */
declare const DR_TOOL_FILE: string | undefined;

/** How the operator runs this command here: `npm run <script> --` in the repository, `node <file>.cjs` as a bundle. */
export function invocation(npmScript: string): string {
    return typeof DR_TOOL_FILE === "string" ? `node ${DR_TOOL_FILE}` : `npm run ${npmScript} --`;
}
