/**
 * Every rule of the pack, in the order they are reported. `policy/index.ts` turns them into a PolicyPack;
 * tests and the offline preview run them directly with `evaluate()`.
 */
import { DYNAMODB_RULES } from "./dynamodb";
import { ENCRYPTION_RULES } from "./encryption";
import { IAM_RULES } from "./iam";
import { LAMBDA_RULES } from "./lambda";
import { LEDGER_RULES } from "./ledger";
import { MONITORING_RULES } from "./monitoring";
import { PARITY_RULES } from "./parity";
import { PROD_RULES } from "./prod";
import { S3_RULES } from "./s3";
import { SAFETY_NET_RULES } from "./safety-net";
import { TRANSIT_RULES } from "./transit";
import { Rule } from "./view";

export const ALL_RULES: readonly Rule[] = [
    ...IAM_RULES,
    ...ENCRYPTION_RULES,
    ...TRANSIT_RULES,
    ...S3_RULES,
    ...DYNAMODB_RULES,
    ...LAMBDA_RULES,
    ...MONITORING_RULES,
    ...PARITY_RULES,
    ...PROD_RULES,
    ...LEDGER_RULES,
    ...SAFETY_NET_RULES,
];

export { evaluate, type Violation } from "./evaluate";
