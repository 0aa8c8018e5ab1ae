/**
 * The environment contract of the functions that only touch the region's stores (health, receipt finisher): the
 * part of the processor's (env.ts) that names the region's table, bucket and key.
 */
import { REGION_ROLES, type AppConfig, type RegionRole } from "./env";

export type StoreConfig = Pick<AppConfig, "tableName" | "bucketName" | "appRegion" | "regionRole" | "kmsKeyId" | "s3ForcePathStyle">;

export type StoreConfigResult = { readonly ok: true; readonly config: StoreConfig } | { readonly ok: false; readonly problems: readonly string[] };

/** Reads and validates the configuration; never throws. Every problem is collected into one message. */
export function readStoreConfig(env: NodeJS.ProcessEnv): StoreConfigResult {
    const problems: string[] = [];
    const required = (name: string): string => {
        const value = env[name]?.trim() ?? "";
        if (value === "") {
            problems.push(`environment variable ${name} is missing or empty`);
        }
        return value;
    };
    const tableName = required("TABLE_NAME");
    const bucketName = required("BUCKET_NAME");
    const appRegion = required("APP_REGION");
    const regionRole = required("REGION_ROLE");
    if (regionRole !== "" && !(REGION_ROLES as readonly string[]).includes(regionRole)) {
        problems.push(`environment variable REGION_ROLE must be one of ${REGION_ROLES.join(", ")}, got "${regionRole}"`);
    }
    const kmsKeyId = required("KMS_KEY_ID");
    if (problems.length > 0) {
        return { ok: false, problems };
    }
    const s3ForcePathStyle = (env.S3_FORCE_PATH_STYLE ?? "").trim().toLowerCase() === "true";
    return { ok: true, config: Object.freeze({ tableName, bucketName, appRegion, regionRole: regionRole as RegionRole, kmsKeyId, s3ForcePathStyle }) };
}
