import * as pulumi from "@pulumi/pulumi";
import type { ApiAuth as CoreApiAuth } from "../components";
import { ApiAuth, ApiAuthMode } from "./args";

/**
 * The package name every language's SDK is generated under (provider/package.json `name`, checked by a test).
 * Pulumi's component provider host (3.276) serves only the `index` module: its construct refuses any other
 * module in a type token, so every token here is `payments-dr:index:<Component>`.
 */
export const PACKAGE_NAME = "payments-dr";

/** The type token of a provider-facing component, as the generated SDKs register it. */
export function typeToken(component: string): string {
    return `${PACKAGE_NAME}:index:${component}`;
}

/**
 * `key` is `value`, which must be one of the enum's values. The generated SDKs type these as enums, but a Python
 * or YAML program can pass any string: each is checked before anything registers.
 */
export function enumProblem(key: string, value: unknown, allowed: Readonly<Record<string, string>>): string | undefined {
    const values = Object.values(allowed);
    return typeof value === "string" && values.includes(value) ? undefined : `\`${key}\` is ${JSON.stringify(value)}: must be one of ${values.join(", ")}`;
}

/** Stops the program with every problem, one per line, before the component registers (a RunError: one clean message). */
export function requireValid(component: string, problems: readonly (string | undefined)[]): void {
    const found = problems.filter((p): p is string => p !== undefined);
    if (found.length > 0) {
        throw new pulumi.RunError(`${component}: invalid args (${found.length}):\n` + found.map((p) => `  - ${p}`).join("\n"));
    }
}

/** What is missing or wrong in the flat `apiAuth` object for its mode. */
export function apiAuthProblems(a: ApiAuth | undefined): string[] {
    if (a === undefined) {
        return ["`apiAuth` is missing: give its `mode` (jwt or iam)"];
    }
    const modeProblem = enumProblem("apiAuth.mode", a.mode, ApiAuthMode);
    if (modeProblem) {
        return [modeProblem];
    }
    if (a.mode === ApiAuthMode.Iam) {
        return ["issuer", "audiences", "tenantClaim", "writeScope", "readScope"]
            .filter((key) => a[key as keyof ApiAuth] !== undefined)
            .map((key) => `\`apiAuth.${key}\` is set in iam mode: it only applies to jwt`);
    }
    const problems: string[] = [];
    if (!a.issuer?.startsWith("https://")) {
        problems.push(`\`apiAuth.issuer\` is ${JSON.stringify(a.issuer)}: jwt mode needs the token issuer's https URL`);
    }
    if (!a.audiences || a.audiences.length === 0) {
        problems.push("`apiAuth.audiences` is empty: jwt mode needs at least one accepted audience");
    }
    if (!a.tenantClaim) {
        problems.push("`apiAuth.tenantClaim` is missing: jwt mode needs the claim that names the merchant");
    }
    if (a.tenantRoles !== undefined) {
        problems.push("`apiAuth.tenantRoles` is set in jwt mode: it only applies to iam");
    }
    return problems;
}

/** The component's `ApiAuth` union from the flat object (call once `apiAuthProblems` found nothing). */
export function apiAuthOf(a: ApiAuth): CoreApiAuth {
    if (a.mode === ApiAuthMode.Iam) {
        return { mode: "iam", tenantRoles: a.tenantRoles };
    }
    return { mode: "jwt", issuer: a.issuer!, audiences: a.audiences!, tenantClaim: a.tenantClaim!, writeScope: a.writeScope, readScope: a.readScope };
}
