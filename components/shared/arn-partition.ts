import * as pulumi from "@pulumi/pulumi";

/**
 * The partition of an ARN (`arn:<partition>:<service>:…`: `aws`, `aws-cn`, `aws-us-gov`). ARNs a policy builds from
 * parts take it from an ARN of the same stack, never a literal `aws`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
 */
export function partitionOf(arn: string): string {
    const [prefix, partition] = arn.split(":");
    if (prefix !== "arn" || !partition) {
        throw new pulumi.RunError(`cannot read the partition of "${arn}": not an ARN (arn:<partition>:<service>:…)`);
    }
    return partition;
}
