import { promises as dns } from "dns";
import * as pulumi from "@pulumi/pulumi";

/**
 * Whether the zone a stack creates is really delegated. `zoneDelegated: true` makes the stack request ACM
 * certificates that validate through the zone; if public DNS does not lead to this zone, the validation waits
 * until it times out (a fresh stack, or a rebuild whose new zone has new name servers). The program checks
 * public DNS instead, and stops with one clean message naming the command to run.
 */

/** Name servers public DNS gives for a domain; empty when it has none. */
export type NameServerLookup = (domain: string) => Promise<string[]>;

const UNDELEGATED_CODES = ["ENOTFOUND", "ENODATA", "NXDOMAIN"];

export const publicNameServers: NameServerLookup = async (domain) => {
    try {
        return await dns.resolveNs(domain);
    } catch (err) {
        if (UNDELEGATED_CODES.includes((err as NodeJS.ErrnoException).code ?? "")) {
            return [];
        }
        throw err;
    }
};

let lookup: NameServerLookup = publicNameServers;

/** The lookup the program uses; the mocked runtime (no network) installs its own. */
export function nameServerLookup(): NameServerLookup {
    return lookup;
}

export function setNameServerLookup(replacement: NameServerLookup): void {
    lookup = replacement;
}

const normalize = (ns: string) => ns.toLowerCase().replace(/\.$/, "");

/** The fix, as the one command to run. */
export const UNDELEGATED_FIX = "pulumi config set zoneDelegated false";

export class ZoneNotDelegatedError extends pulumi.RunError {
    constructor(detail: string) {
        super(
            `\`payments-dr:zoneDelegated\` is true, but ${detail}. ACM validates the certificates through this zone, so ` +
                `\`pulumi up\` would wait until the validation times out. Run \`${UNDELEGATED_FIX}\` and \`pulumi up\`: the stack ` +
                "comes up with a DNS-only failover name and exports `nameServers`; delegate the domain to them at its " +
                "parent, then `pulumi config set zoneDelegated true && pulumi up`.",
        );
        this.name = "ZoneNotDelegatedError";
    }
}

/**
 * Once the zone exists (its name servers known): refuses a domain public DNS does not delegate to this zone, as on
 * a first deployment (no delegation yet) or a rebuild (the parent still names the old zone's name servers).
 */
export async function requireDelegationTo(
    domain: string,
    zoneNameServers: readonly string[],
    published: NameServerLookup | Promise<string[]> = lookup,
): Promise<void> {
    // A lookup started earlier (outside any output callback) is only awaited here.
    const servers = (await (typeof published === "function" ? published(domain) : published)).map(normalize);
    const ours = zoneNameServers.map(normalize);
    if (servers.length === 0) {
        throw new ZoneNotDelegatedError(`public DNS has no name servers for ${domain}: the parent domain does not delegate it yet`);
    }
    if (!servers.some((ns) => ours.includes(ns))) {
        throw new ZoneNotDelegatedError(`public DNS delegates ${domain} to ${servers.join(", ")}, not to this stack's zone (${ours.join(", ")})`);
    }
}

/**
 * `value` once `check` passes. When it fails, the error is raised on its own (one unhandled rejection: the CLI
 * prints a RunError's message once and fails the run) and the value never arrives, so nothing that waits for it
 * (the validation records) is created. Rejecting the value instead would surface the error once per dependent
 * resource, each time wrapped in "error serializing property ...".
 */
export function haltUnlessDelegated<T>(check: Promise<void>, value: T): Promise<T> {
    return check.then(
        () => value,
        (err: unknown) => {
            void Promise.reject(err);
            return new Promise<T>(() => undefined);
        },
    );
}
