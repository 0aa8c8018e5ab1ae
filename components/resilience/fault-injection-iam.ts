/**
 * What the AWS FIS `aws:lambda:function` actions (invocation-error, invocation-add-delay) need on a function, as
 * data: the FIS extension's layer parameter, Lambda's wrapper-script variable, and an S3 location in the function's
 * region where FIS writes the fault configuration and the extension reads it ("Use the AWS FIS aws:lambda:function
 * actions", https://docs.aws.amazon.com/fis/latest/userguide/use-lambda-actions.html). Pure: the components and
 * the tests share it; components/resilience/fault-injection.ts creates the resources.
 */
import type { PolicyStatement } from "../shared/iam";

/**
 * The public SSM parameter that names the extension's layer version in each region, for arm64 functions ("Available
 * versions of the AWS FIS extension for Lambda", actions-lambda-extension-arns.html): no per-region ARN table here.
 */
export const FIS_EXTENSION_LAYER_PARAMETER = "/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x";
/** Where, under the config bucket, FIS writes fault configurations and the extension polls for them. */
export const FIS_CONFIG_PREFIX = "FisConfigs/";
/** The extension's bootstrap, run by Lambda's wrapper-script mechanism (`AWS_LAMBDA_EXEC_WRAPPER`, runtimes-modify.html). */
export const FIS_EXEC_WRAPPER = "/opt/aws-fis/bootstrap";
/** Fault configurations are short-lived (the extension ignores stale ones): a day is plenty. */
export const FIS_CONFIG_RETENTION_DAYS = 1;

/** `arn:<partition>:s3:::<bucket>/FisConfigs/`: the value of `AWS_FIS_CONFIGURATION_LOCATION`. */
export function fisConfigLocation(bucketArn: string): string {
    return `${bucketArn}/${FIS_CONFIG_PREFIX}`;
}

/** What the function's role needs: list and read the fault configurations, nothing else of the bucket. */
export function faultConfigReadStatements(bucketArn: string): PolicyStatement[] {
    return [
        {
            Sid: "ListFaultConfigurations",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: bucketArn,
            Condition: { StringLike: { "s3:prefix": [`${FIS_CONFIG_PREFIX}*`] } },
        },
        { Sid: "ReadFaultConfigurations", Effect: "Allow", Action: "s3:GetObject", Resource: `${fisConfigLocation(bucketArn)}*` },
    ];
}

/** What the FIS experiment role needs on the bucket: write and remove fault configurations (`FisConfigs/*` only). */
export function faultConfigWriteStatements(bucketArn: string): PolicyStatement[] {
    return [{ Sid: "WriteFaultConfigurations", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: `${fisConfigLocation(bucketArn)}*` }];
}
