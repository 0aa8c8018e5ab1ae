/**
 * AWS regions by partition. This stack deploys to the commercial `aws` partition only: Route 53 health-check
 * metrics live in us-east-1 of that partition, and a global table cannot span partitions.
 */
export const AWS_PARTITION_REGIONS: readonly string[] = [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/** The one partition this stack deploys to (what `aws.getPartition` answers for every region above). */
export const STACK_PARTITION = "aws";

/** Regions of the other partitions, so that validation can say "wrong partition" instead of "unknown". */
export const OTHER_PARTITION_REGIONS: Readonly<Record<string, string>> = {
    "cn-north-1": "aws-cn",
    "cn-northwest-1": "aws-cn",
    "us-gov-east-1": "aws-us-gov",
    "us-gov-west-1": "aws-us-gov",
    "us-iso-east-1": "aws-iso",
    "us-iso-west-1": "aws-iso",
    "us-isob-east-1": "aws-iso-b",
    "eusc-de-east-1": "aws-eusc",
};

// The program's copy of the policy pack's fact (components/shared/aws-facts.ts; a test keeps the two equal).
export { ROUTE53_METRICS_REGION } from "./aws-facts";

/** Why a region string cannot be used, or undefined when it can. */
export function regionProblem(region: string): string | undefined {
    if (AWS_PARTITION_REGIONS.includes(region)) {
        return undefined;
    }
    const partition = OTHER_PARTITION_REGIONS[region];
    if (partition) {
        return `is in partition ${partition}; this stack deploys to the commercial "aws" partition only`;
    }
    return "is not an AWS region of the commercial partition (e.g. us-east-1, us-west-2, eu-west-1)";
}
