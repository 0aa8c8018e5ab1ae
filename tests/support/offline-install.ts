import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * An npm project that installs a packed tarball and the given packages at exactly the versions this repository's
 * lockfile holds, with `npm ci --offline`: its lockfile is the part of ours those packages need, so every tarball
 * comes from the npm cache `npm ci` filled here (no registry request, the same bytes every run).
 */

interface LockEntry {
    readonly version?: string;
    readonly resolved?: string;
    readonly integrity?: string;
    readonly link?: boolean;
    readonly dependencies?: Record<string, string>;
    readonly optionalDependencies?: Record<string, string>;
    readonly peerDependencies?: Record<string, string>;
    readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    readonly [key: string]: unknown;
}

type LockPackages = Record<string, LockEntry>;

/** Where Node finds `name` from the package at `location` ("" is the root): the nearest node_modules up the tree. */
function resolveIn(packages: LockPackages, location: string, name: string): string | undefined {
    for (let at = location; ; at = at.slice(0, Math.max(at.lastIndexOf("/node_modules/"), 0))) {
        const candidate = at === "" ? `node_modules/${name}` : `${at}/node_modules/${name}`;
        if (packages[candidate]) {
            return candidate;
        }
        if (at === "") {
            return undefined;
        }
    }
}

/** What an install needs of a package: its dependencies, optional dependencies and required peers. */
function needs(entry: LockEntry): { name: string; optional: boolean }[] {
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional);
    return [
        ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
        ...peers.map((name) => ({ name, optional: false })),
        ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ];
}

/**
 * The lockfile entries `roots` (package names) need, transitively, at the locations ours has them. Throws on a
 * required package ours does not hold: the install could not be offline.
 */
export function lockSubset(packages: LockPackages, roots: readonly string[], from = ""): LockPackages {
    const subset: LockPackages = {};
    const visit = (location: string, name: string, optional: boolean, by: string) => {
        const found = resolveIn(packages, location, name);
        if (!found) {
            if (optional) {
                return;
            }
            throw new Error(`${name} (needed by ${by || "the project"}) is not in package-lock.json`);
        }
        if (subset[found]) {
            return;
        }
        const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = packages[found];
        subset[found] = entry;
        for (const need of needs(entry)) {
            visit(found, need.name, need.optional, found);
        }
    };
    for (const root of roots) {
        visit(from, root, false, "");
    }
    return subset;
}

/**
 * package.json and package-lock.json of a project (in the tarball's folder) that depends on `tarball` and on
 * `peers` (name → exact version, as our lockfile has them) and on nothing else.
 */
export function consumerLock(
    tarball: string,
    packed: { name: string; version: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> },
    peers: Record<string, string>,
    repoLock: { packages: LockPackages },
): { packageJson: object; lock: object } {
    const spec = `file:${path.basename(tarball)}`;
    const dependencies = { [packed.name]: spec, ...peers };
    // The package's own dependencies resolve beside it (hoisted), as they do in this repository.
    const wanted = [...Object.keys(packed.dependencies ?? {}), ...Object.keys(peers)];
    const subset = lockSubset(repoLock.packages, wanted);
    for (const [name, version] of Object.entries(peers)) {
        const installed = subset[`node_modules/${name}`]?.version;
        if (installed !== version) {
            throw new Error(`${name}: package-lock.json has ${installed}, the project asks for ${version}`);
        }
    }
    const integrity = `sha512-${crypto.createHash("sha512").update(fs.readFileSync(tarball)).digest("base64")}`;
    const packageJson = { name: "consumer", version: "1.0.0", private: true, dependencies };
    const lock = {
        name: "consumer",
        version: "1.0.0",
        lockfileVersion: 3,
        requires: true,
        packages: {
            "": { name: "consumer", version: "1.0.0", dependencies },
            [`node_modules/${packed.name}`]: {
                version: packed.version,
                resolved: spec,
                integrity,
                dependencies: packed.dependencies,
                peerDependencies: packed.peerDependencies,
            },
            ...subset,
        },
    };
    return { packageJson, lock };
}
