import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    faultConfigReadStatements,
    FIS_CONFIG_RETENTION_DAYS,
    FIS_EXEC_WRAPPER,
    FIS_EXTENSION_LAYER_PARAMETER,
    fisConfigLocation,
} from "./fault-injection-iam";
import { fitName, NAME_LIMITS } from "../shared/naming";
import { createPrivateBucket } from "../shared/private-bucket";
import type { ProcessorAttachment, ProcessorFaultInjection } from "../regional/regional-stack-args";

/**
 * The resources the FIS Lambda actions need in a region (components/resilience/fault-injection-iam.ts says what and why). Only
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

/**
 * Fault injection on a RegionalStack's processor (its `faultInjection` arg): the configuration bucket and the
 * extension's layer, created as the stack's children, and the variables that make Lambda start the runtime through
 * the extension (fault-injection-iam.ts).
 */
export function attachFaultInjection(host: ProcessorAttachment): ProcessorFaultInjection {
    const faults = createFaultInjectionConfig(
        `${host.name}-fis-config`,
        {
            bucketName: host.nameOf((ctx) => fitName(`fis-config-${host.role}`, ctx, NAME_LIMITS.s3Bucket)),
            keyArn: host.keyArn,
            // Configurations expire after a day; prod still never force-deletes a bucket (policy pack).
            forceDestroy: !host.protectData,
        },
        { parent: host.parent },
    );
    return {
        bucketArn: faults.bucketArn,
        layerArn: faults.layerArn,
        environment: { AWS_LAMBDA_EXEC_WRAPPER: FIS_EXEC_WRAPPER, AWS_FIS_CONFIGURATION_LOCATION: faults.bucketArn.apply(fisConfigLocation) },
        policyStatements: faults.bucketArn.apply(faultConfigReadStatements),
    };
}
