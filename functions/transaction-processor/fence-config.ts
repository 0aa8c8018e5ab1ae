import type { FenceConfig } from "./fence";

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * `FENCE_TABLE_NAME` and `FENCE_TABLE_REGION` (both or neither): the takeover authority (a table in the standby
 * region) that fences this region's writes. Set on the primary's processor and receipt finisher only; the standby
 * region is never fenced. `FENCE_ENDPOINT_URL` (optional, local servers only) points its client elsewhere.
 * Problems are appended to `problems`; undefined when the region is not fenced.
 */
export function readFenceConfig(env: NodeJS.ProcessEnv, problems: string[]): FenceConfig | undefined {
    const tableName = (env.FENCE_TABLE_NAME ?? "").trim();
    const region = (env.FENCE_TABLE_REGION ?? "").trim();
    const endpoint = (env.FENCE_ENDPOINT_URL ?? "").trim();
    if ((tableName === "") !== (region === "")) {
        problems.push("environment variables FENCE_TABLE_NAME and FENCE_TABLE_REGION must be set together or not at all");
        return undefined;
    }
    if (region !== "" && !REGION_PATTERN.test(region)) {
        problems.push(`environment variable FENCE_TABLE_REGION must be an AWS region such as us-west-2, got "${region}"`);
        return undefined;
    }
    return tableName === "" ? undefined : Object.freeze({ tableName, region, ...(endpoint === "" ? {} : { endpoint }) });
}

/** The variables that change what a container builds for its fence (part of the configuration fingerprint). */
export const FENCE_VARIABLES = ["FENCE_TABLE_NAME", "FENCE_TABLE_REGION", "FENCE_ENDPOINT_URL"] as const;
