import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FIS_CONFIG_RETENTION_DAYS, FIS_EXTENSION_LAYER_PARAMETER } from "./fault-injection-iam";
import { createPrivateBucket } from "./private-bucket";

/**
 * The resources the FIS Lambda actions need in a region (components/fault-injection-iam.ts says what and why). Only
 * stacks with game days get them: the extension's wrapper runs on every invocation of the function.
 */

export interface FaultInjectionConfig {
    readonly bucketArn: pulumi.Output<string>;
    /** The extension's layer version in this region (from the public SSM parameter). */
    readonly layerArn: pulumi.Output<string>;
}

/** The region's fault-configuration bucket (private, on the region's key, expiring) and the extension's layer. */
export function createFaultInjectionConfig(
    id: string,
    a: { readonly bucketName: pulumi.Input<string>; readonly keyArn: pulumi.Input<string>; readonly forceDestroy: boolean },
    opts: pulumi.CustomResourceOptions,
): FaultInjectionConfig {
    const { bucket } = createPrivateBucket(
        id,
        {
            bucketName: a.bucketName,
            keyArn: a.keyArn,
            forceDestroy: a.forceDestroy,
            expiration: { ruleId: "expire-fault-configurations", days: FIS_CONFIG_RETENTION_DAYS },
        },
        opts,
    );
    const layer = aws.ssm.getParameterOutput({ name: FIS_EXTENSION_LAYER_PARAMETER }, { parent: opts.parent, provider: opts.provider });
    return { bucketArn: bucket.arn, layerArn: layer.value };
}
