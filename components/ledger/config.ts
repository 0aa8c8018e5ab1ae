/**
 * The optional relational ledger's stack settings (`ledger` and the `ledger*` keys): parsing, defaults and
 * validation. Pure; `config.ts` calls it with its problem collector so every problem is reported together.
 */
import type { RegionRole } from "../shared/naming";

export const LEDGER_MODES = ["none", "aurora-global"] as const;
export type LedgerMode = (typeof LEDGER_MODES)[number];

/** The config keys this module reads (added to `CONFIG_KEYS`). */
export const LEDGER_CONFIG_KEYS = [
    "ledger",
    "ledgerPrimaryVpcCidr",
    "ledgerSecondaryVpcCidr",
    "ledgerInstanceClass",
    "ledgerMinCapacityAcu",
    "ledgerMaxCapacityAcu",
    "ledgerWriterRole",
] as const;

/** Aurora Serverless v2 instances are this class; anything else is a provisioned class. */
export const SERVERLESS_INSTANCE_CLASS = "db.serverless";
/** Provisioned classes Aurora PostgreSQL global databases run on (memory-optimised r-families; t-classes are refused for global databases). */
const PROVISIONED_CLASS = /^db\.(r5|r6g|r6gd|r6i|r7g|r7i|r8g|x2g)\.(large|[0-9]*xlarge)$/;
/** Serverless v2 capacity: 0.5-256 ACUs in steps of 0.5 (AWS: "Aurora Serverless v2 capacity"). */
export const MIN_ACU = 0.5;
export const MAX_ACU = 256;

/** What the ledger needs when it is on. */
export interface AuroraLedgerSettings {
    readonly mode: "aurora-global";
    /** Each region's VPC block; never overlapping, or the peering could not route. */
    readonly vpcCidrs: Readonly<Record<RegionRole, string>>;
    /** `db.serverless` (Serverless v2) or a provisioned class. */
    readonly instanceClass: string;
    readonly minCapacityAcu: number;
    readonly maxCapacityAcu: number;
    /**
     * The region whose cluster is the global database's writer now. `primary` until a switchover or failover
     * promotes the secondary; then the operator records it with `pulumi config set ledgerWriterRole secondary`.
     */
    readonly writerRole: RegionRole;
    /** Instances per regional cluster: prod keeps a second one in another AZ so a failed writer fails over in-region. */
    readonly instancesPerCluster: number;
}

export type LedgerSettings = { readonly mode: "none" } | AuroraLedgerSettings;

export interface LedgerConfigInput {
    /** The trimmed value of a key, undefined when unset. */
    readonly text: (key: string) => string | undefined;
    readonly isProd: boolean;
    /** Reports one problem with a key, its bad value and the rule. */
    readonly problem: (key: string, value: unknown, rule: string) => void;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses an IPv4 CIDR block into [network address as a number, prefix length]; undefined when malformed. */
export function parseCidr(cidr: string): [number, number] | undefined {
    const m = CIDR.exec(cidr);
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    return [address, prefix];
}

const blockSize = (prefix: number) => 2 ** (32 - prefix);

/** RFC 1918 private ranges: a VPC with no internet gateway has no reason to use public addresses. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c)!);

function inside([address, prefix]: [number, number], [outer, outerPrefix]: [number, number]): boolean {
    return prefix >= outerPrefix && address >= outer && address + blockSize(prefix) <= outer + blockSize(outerPrefix);
}

export function cidrsOverlap(a: string, b: string): boolean {
    const [x, px] = parseCidr(a)!;
    const [y, py] = parseCidr(b)!;
    return x < y + blockSize(py) && y < x + blockSize(px);
}

function toDotted(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** The first `count` subnets of `cidr`, two bits longer (a /16 gives four /18s; we use three, one per AZ). */
export function subnetCidrs(cidr: string, count: number): string[] {
    const [address, prefix] = parseCidr(cidr)!;
    const size = blockSize(prefix + 2);
    return Array.from({ length: count }, (_, i) => `${toDotted(address + i * size)}/${prefix + 2}`);
}

function cidrProblem(cidr: string): string | undefined {
    const parsed = parseCidr(cidr);
    if (!parsed) {
        return "must be an IPv4 CIDR block such as 10.40.0.0/16";
    }
    const [address, prefix] = parsed;
    if (prefix < 16 || prefix > 22) {
        return "must have a prefix from /16 (VPC maximum) to /22 (three /24 subnets, each AZ's functions and databases need addresses)";
    }
    if (address % blockSize(prefix) !== 0) {
        return `is not aligned to its prefix: the network address of /${prefix} here is ${toDotted(address - (address % blockSize(prefix)))}`;
    }
    if (!PRIVATE_RANGES.some((range) => inside(parsed, range))) {
        return "must be inside a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)";
    }
    return undefined;
}

/**
 * Reads the ledger keys. With `ledger` unset or `none`, any other `ledger*` key is refused (it would do
 * nothing, which is usually a mistake).
 */
export function parseLedgerSettings(input: LedgerConfigInput): LedgerSettings {
    const { text, isProd, problem } = input;
    const modeValue = text("ledger") ?? "none";
    if (!(LEDGER_MODES as readonly string[]).includes(modeValue)) {
        problem("ledger", modeValue, `must be one of ${LEDGER_MODES.join(", ")}`);
        return { mode: "none" };
    }
    if (modeValue === "none") {
        for (const key of LEDGER_CONFIG_KEYS.filter((k) => k !== "ledger")) {
            const value = text(key);
            if (value !== undefined) {
                problem(key, value, "only applies with `payments-dr:ledger` aurora-global; remove it or turn the ledger on");
            }
        }
        return { mode: "none" };
    }

    const vpcCidrs = {
        primary: text("ledgerPrimaryVpcCidr") ?? "10.40.0.0/16",
        secondary: text("ledgerSecondaryVpcCidr") ?? "10.41.0.0/16",
    };
    const cidrKeys = { primary: "ledgerPrimaryVpcCidr", secondary: "ledgerSecondaryVpcCidr" } as const;
    let cidrsValid = true;
    for (const role of ["primary", "secondary"] as const) {
        const reason = cidrProblem(vpcCidrs[role]);
        if (reason) {
            problem(cidrKeys[role], vpcCidrs[role], reason);
            cidrsValid = false;
        }
    }
    if (cidrsValid && cidrsOverlap(vpcCidrs.primary, vpcCidrs.secondary)) {
        problem(
            "ledgerSecondaryVpcCidr",
            vpcCidrs.secondary,
            `overlaps \`payments-dr:ledgerPrimaryVpcCidr\` ${vpcCidrs.primary}: peered VPCs need distinct address ranges`,
        );
    }

    const instanceClass = text("ledgerInstanceClass") ?? SERVERLESS_INSTANCE_CLASS;
    if (instanceClass !== SERVERLESS_INSTANCE_CLASS && !PROVISIONED_CLASS.test(instanceClass)) {
        problem(
            "ledgerInstanceClass",
            instanceClass,
            `must be ${SERVERLESS_INSTANCE_CLASS} (Serverless v2) or a memory-optimised provisioned class such as db.r6g.large ` +
                "(Aurora global databases do not run on burstable db.t classes)",
        );
    }
    const acu = (key: string, fallback: number): number => {
        const value = text(key);
        if (value === undefined) {
            return fallback;
        }
        const n = Number(value);
        if (!/^\d+(\.[05])?$/.test(value) || n < MIN_ACU || n > MAX_ACU) {
            problem(key, value, `must be a number of ACUs from ${MIN_ACU} to ${MAX_ACU} in steps of 0.5`);
            return fallback;
        }
        return n;
    };
    const minCapacityAcu = acu("ledgerMinCapacityAcu", MIN_ACU);
    const maxCapacityAcu = acu("ledgerMaxCapacityAcu", isProd ? 16 : 2);
    if (maxCapacityAcu < minCapacityAcu) {
        problem("ledgerMaxCapacityAcu", String(maxCapacityAcu), `must be at least \`payments-dr:ledgerMinCapacityAcu\` (${minCapacityAcu})`);
    }
    if (instanceClass !== SERVERLESS_INSTANCE_CLASS) {
        for (const key of ["ledgerMinCapacityAcu", "ledgerMaxCapacityAcu"]) {
            const value = text(key);
            if (value !== undefined) {
                problem(key, value, `only applies to \`payments-dr:ledgerInstanceClass\` ${SERVERLESS_INSTANCE_CLASS}; remove it for a provisioned class`);
            }
        }
    }

    const writerValue = text("ledgerWriterRole") ?? "primary";
    if (writerValue !== "primary" && writerValue !== "secondary") {
        problem("ledgerWriterRole", writerValue, "must be primary or secondary: the region whose cluster the global database promoted to writer");
    }
    return {
        mode: "aurora-global",
        vpcCidrs,
        instanceClass,
        minCapacityAcu,
        maxCapacityAcu,
        writerRole: writerValue === "secondary" ? "secondary" : "primary",
        instancesPerCluster: isProd ? 2 : 1,
    };
}

export function isAuroraLedger(ledger: LedgerSettings): ledger is AuroraLedgerSettings {
    return ledger.mode === "aurora-global";
}
