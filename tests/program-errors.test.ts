import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { parseStackSettings } from "../program/config";
import { RecoveryObjectivesError, requireRecoveryObjectives } from "../program/objectives";
import { projectConfig } from "../scripts/preview/run";
import { readStackConfig } from "../scripts/synth/stack-config";
import { stackWith } from "./support/stacks";

const readStackConfigUnprefixed = (stack: string) => projectConfig(readStackConfig(stack));

/** Runs the real program under the mocked runtime and returns what it threw (or fails the test). */
async function failureOf(stack: "dev" | "prod", overrides: Record<string, string | undefined>): Promise<Error & { registeredResources?: number }> {
    try {
        await stackWith(stack, overrides);
    } catch (e) {
        return e as Error & { registeredResources?: number };
    }
    throw new Error("the program did not fail");
}

/**
 * What `pulumi preview`/`pulumi up` show when the program refuses a stack: the Node.js language host prints a
 * `pulumi.RunError` as its message alone (no stack trace, no "unhandled exception" banner), once.
 */
describe("the program refuses a bad stack the way the Pulumi CLI prints cleanly", () => {
    it("an invalid config is one RunError listing every problem, before any resource", async () => {
        const error = await failureOf("dev", { logRetentionDays: "8", domainName: "example.com" });
        expect(pulumi.RunError.isInstance(error)).to.equal(true);
        expect(error.message).to.equal(
            "Invalid stack configuration (2 problems):\n" +
                '  - `payments-dr:domainName` is "example.com": is under example.com, which is reserved (AWS refuses hosted zones for it); use a domain you own.\n' +
                '  - `payments-dr:logRetentionDays` is "8": must be one of CloudWatch Logs\' retention periods: ' +
                "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.",
        );
        expect(error.registeredResources).to.equal(0);
    });

    it("settings that miss the RTO target are one RunError naming the figures, before any resource", async () => {
        const error = await failureOf("dev", { rtoTargetMinutes: "1", paymentRtoTargetMinutes: "1" });
        expect(pulumi.RunError.isInstance(error)).to.equal(true);
        expect(error.message).to.equal(
            "Stack dev-variant cannot meet its recovery objectives (2 problems):\n" +
                "  - worst-case failover is 186 s (30 s × 3 checks + 6 s check timeout + 30 s aggregation + 60 s TTL), above " +
                "`payments-dr:rtoTargetMinutes` 1 min: lower the interval, the failure threshold or the TTL.\n" +
                "  - worst-case failover on failing payments is 330 s (240 s payment signal + 30 s aggregation + 60 s TTL), above " +
                "`payments-dr:paymentRtoTargetMinutes` 1 min: the signal's one-minute alarms are the finest Route 53 accepts; raise the target or lower the TTL.",
        );
        expect(error.registeredResources).to.equal(0);
    });

    it("a missed RPO target is a RunError too (unreachable from valid config today: the 60 s alarm is within the 1-minute minimum)", () => {
        const settings = { ...parseStackSettings(readStackConfigUnprefixed("dev")), rpoTargetMinutes: 0.5 };
        expect(() => requireRecoveryObjectives(settings)).to.throw(
            RecoveryObjectivesError,
            "  - the DynamoDB replication alarm fires at 60 s, above `payments-dr:rpoTargetMinutes` 0.5 min: the target would be missed before anyone is paged.",
        );
        expect(pulumi.RunError.isInstance(new RecoveryObjectivesError(["x"], "dev"))).to.equal(true);
    });
});
