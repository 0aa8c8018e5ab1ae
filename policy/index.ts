/**
 * The payments-dr policy pack: `pulumi preview --policy-pack policy` (after `cd policy && npm install`).
 * Never import this file from tests: constructing a PolicyPack starts a policy server that never exits.
 * The rules live in `rules/`, where tests and `npm run preview:offline` use them directly.
 */
import { PolicyPack } from "@pulumi/policy";
import { ALL_RULES } from "./rules";
import { toPolicy } from "./rules/pack";

new PolicyPack("payments-dr-guardrails", {
    description:
        "Guardrails for the payments-dr multi-region DR platform: least-privilege IAM, customer-managed encryption, replication, monitoring and failover, prod data safety.",
    policies: ALL_RULES.map(toPolicy),
});
