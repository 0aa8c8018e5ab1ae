import { expect } from "chai";
import { ConfigValidationError, parseStackSettings, RawConfig } from "../../program/config";

/** The smallest valid config: a dev stack with the required keys. */
export const VALID_CONFIG: RawConfig = { environment: "dev", domainName: "payments.acme-pay.net", owner: "payments-platform", costCenter: "cc-4711" };

/** The problems `parseStackSettings` reports for `VALID_CONFIG` with `overrides` applied (none: empty). */
export function problemsOf(overrides: RawConfig): readonly string[] {
    try {
        parseStackSettings({ ...VALID_CONFIG, ...overrides });
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigValidationError);
        return (e as ConfigValidationError).problems;
    }
    return [];
}
