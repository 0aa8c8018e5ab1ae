import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** How long a failure queue keeps a message: SQS's maximum, so a weekend outage loses nothing. */
export const FAILURE_QUEUE_RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * An on-failure queue for records a function could not process (a stream mapping's destination): on the region's
 * key (data keys reused for 5 minutes, to keep KMS requests down), messages kept as long as SQS allows.
 */
export function createFailureQueue(
    id: string,
    a: { readonly queueName: pulumi.Input<string>; readonly keyArn: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
): aws.sqs.Queue {
    return new aws.sqs.Queue(
        id,
        { name: a.queueName, messageRetentionSeconds: FAILURE_QUEUE_RETENTION_SECONDS, kmsMasterKeyId: a.keyArn, kmsDataKeyReusePeriodSeconds: 300 },
        opts,
    );
}
