/** IPv4 CIDR arithmetic for the ledger's VPCs: parsing, overlap, subnets and what a VPC block must be. Pure. */

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

/** What is wrong with `cidr` as a ledger VPC block (a config problem's rule), or undefined. */
export function cidrProblem(cidr: string): string | undefined {
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
