/**
 * The optional relational ledger's stack settings (`ledger` and the `ledger*` keys): parsing, defaults and
 * validation. Pure; `config.ts` calls it with its problem collector so every problem is reported together.
 */
import { cidrProblem, cidrsOverlap } from "../components/ledger/cidr";
import { LEDGER_MODES, LedgerSettings, MAX_ACU, MIN_ACU, SERVERLESS_INSTANCE_CLASS } from "../components/ledger/settings";

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

/** Provisioned classes Aurora PostgreSQL global databases run on (memory-optimised r-families; t-classes are refused for global databases). */
const PROVISIONED_CLASS = /^db\.(r5|r6g|r6gd|r6i|r7g|r7i|r8g|x2g)\.(large|[0-9]*xlarge)$/;

export interface LedgerConfigInput {
    /** The trimmed value of a key, undefined when unset. */
    readonly text: (key: string) => string | undefined;
    readonly isProd: boolean;
    /** Reports one problem with a key, its bad value and the rule. */
    readonly problem: (key: string, value: unknown, rule: string) => void;
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
