import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegionRole } from "../shared/naming";

export const LEDGER_ENGINE = "aurora-postgresql";
/**
 * The ledger's PostgreSQL major version: the stack chooses the major, AWS the minor. A major upgrade is a
 * deliberate operation (README, "Aurora ledger"), never a side effect of `pulumi up`.
 */
export const LEDGER_ENGINE_MAJOR = "16";
export const LEDGER_PARAMETER_FAMILY = `aurora-postgresql${LEDGER_ENGINE_MAJOR}`;

/** What the program needs of an engine version returned by `aws.rds.getEngineVersion`. */
export interface EngineVersionFacts {
    readonly versionActual: string;
    readonly supportsGlobalDatabases: boolean;
}

/** One message per region whose engine version cannot hold an Aurora global database. */
export function engineVersionProblems(facts: Readonly<Record<RegionRole, EngineVersionFacts & { readonly region: string }>>): string[] {
    return Object.values(facts)
        .filter((f) => !f.supportsGlobalDatabases)
        .map(
            (f) =>
                `${LEDGER_ENGINE} ${f.versionActual} does not support Aurora global databases in ${f.region} ` +
                `(DescribeDBEngineVersions SupportsGlobalDatabases is false): choose another major in LEDGER_ENGINE_MAJOR`,
        );
}

/**
 * The engine version the global cluster is created with: the primary region's default minor of
 * `LEDGER_ENGINE_MAJOR`, checked to support global databases in both regions
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBEngineVersion.html, `SupportsGlobalDatabases`).
 * Only creation uses it: the global cluster ignores later changes of `engineVersion`, since AWS applies minor
 * upgrades itself and a newer default must not make `pulumi up` try to change (or go back on) the running version.
 */
export function ledgerEngineVersion(
    regions: Readonly<Record<RegionRole, string>>,
    providers: Readonly<Record<RegionRole, aws.Provider>>,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const primary = aws.rds.getEngineVersionOutput(
        { engine: LEDGER_ENGINE, parameterGroupFamily: LEDGER_PARAMETER_FAMILY, defaultOnly: true, latest: true },
        { parent, provider: providers.primary },
    );
    const secondary = aws.rds.getEngineVersionOutput({ engine: LEDGER_ENGINE, version: primary.versionActual }, { parent, provider: providers.secondary });
    return pulumi.all([primary, secondary]).apply(([p, s]) => {
        const problems = engineVersionProblems({
            primary: { region: regions.primary, versionActual: p.versionActual, supportsGlobalDatabases: p.supportsGlobalDatabases },
            secondary: { region: regions.secondary, versionActual: s.versionActual, supportsGlobalDatabases: s.supportsGlobalDatabases },
        });
        if (problems.length > 0) {
            throw new pulumi.RunError(problems.join("\n"));
        }
        return p.versionActual;
    });
}
