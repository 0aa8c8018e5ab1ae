/**
 * Lambda: a runtime AWS still lets us create, our own log group with a retention, a dead-letter target where
 * something invokes the function asynchronously,
 * no VPC that cannot reach DynamoDB/S3/SQS, and no environment names Lambda reserves.
 */
import { at, identitiesOf, isSet, isUnknown, list, obj, referenced, ResourceRule, ResourceView, StackRule, str } from "./view";

export const FUNCTION_TYPE = "aws:lambda/function:Function";
export const LOG_GROUP_TYPE = "aws:cloudwatch/logGroup:LogGroup";
export const VPC_ENDPOINT_TYPE = "aws:ec2/vpcEndpoint:VpcEndpoint";

/**
 * Lambda runtimes that can still be created and are not deprecated (AWS "Lambda runtimes" page). The one
 * place to update when AWS deprecates a runtime: nodejs18.x and older can no longer be created.
 */
// nodejs20.x left the list when AWS deprecated it (April 2026); nodejs22.x follows in April 2027.
export const SUPPORTED_LAMBDA_RUNTIMES: readonly string[] = [
    "nodejs22.x",
    "nodejs24.x",
    "python3.12",
    "python3.13",
    "java21",
    "dotnet8",
    "ruby3.4",
    "provided.al2023",
];

/**
 * Names Lambda reserves: setting them fails (`AWS_REGION`) or breaks the runtime. The pack refuses every `AWS_*`
 * name except those AWS documents for functions to set: Lambda's wrapper script (`AWS_LAMBDA_EXEC_WRAPPER`,
 * "Modifying the runtime environment", Lambda Developer Guide) and the AWS FIS extension's settings
 * (`AWS_FIS_*`, "Use the AWS FIS aws:lambda:function actions", FIS User Guide).
 */
export const RESERVED_ENV_NAME = /^((?!AWS_LAMBDA_EXEC_WRAPPER$|AWS_FIS_)AWS_.*|_HANDLER|_X_AMZN_TRACE_ID|LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR)$/;

export const lambdaSupportedRuntime: ResourceRule = {
    name: "lambda-supported-runtime",
    description: `Functions use a supported runtime (${SUPPORTED_LAMBDA_RUNTIMES.join(", ")}).`,
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== FUNCTION_TYPE || view.props.packageType === "Image") {
            return;
        }
        const runtime = view.props.runtime;
        if (isUnknown(runtime)) {
            return;
        }
        if (!SUPPORTED_LAMBDA_RUNTIMES.includes(str(runtime) ?? "")) {
            report(
                `\`runtime\` is ${JSON.stringify(runtime ?? null)}, which is deprecated or unknown (AWS no longer creates nodejs18.x and older): ` +
                    `use one of ${SUPPORTED_LAMBDA_RUNTIMES.join(", ")}.`,
            );
        }
    },
};

/** Where a function writes its logs: `loggingConfig.logGroup`, else `/aws/lambda/<name>`. */
export function functionLogGroupName(fn: ResourceView): string | undefined {
    const custom = str(at(fn.props, "loggingConfig", "logGroup"));
    if (custom !== undefined) {
        return custom;
    }
    const name = str(fn.props.name);
    return name === undefined ? undefined : `/aws/lambda/${name}`;
}

export const lambdaLogGroupRetention: StackRule = {
    name: "lambda-log-group-retention",
    description:
        "Each function's log group (`/aws/lambda/<name>`, or its `loggingConfig.logGroup`) exists in the stack, in the function's region, with `retentionInDays`.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        const groups = views.filter((v) => v.type === LOG_GROUP_TYPE);
        for (const fn of views.filter((v) => v.type === FUNCTION_TYPE)) {
            const name = functionLogGroupName(fn);
            if (name === undefined) {
                continue; // Unknown during preview.
            }
            const group = groups.find((g) => g.props.name === name && (g.region === undefined || g.region === fn.region));
            if (!group) {
                report(
                    `function ${fn.name} logs to ${name}, which the stack does not create in ${fn.region ?? "its region"}: Lambda would create it ` +
                        "itself, unencrypted and kept forever. Create the LogGroup with `retentionInDays` and `kmsKeyId` (and make the function depend on it).",
                    fn.urn,
                );
            } else if (!isUnknown(group.props.retentionInDays) && !isSet(group.props.retentionInDays)) {
                report(`log group ${name} of function ${fn.name} has no \`retentionInDays\`: logs would be kept forever.`, group.urn);
            }
        }
    },
};

export const PERMISSION_TYPE = "aws:lambda/permission:Permission";
export const EVENT_TARGET_TYPE = "aws:cloudwatch/eventTarget:EventTarget";
export const SCHEDULE_TYPE = "aws:scheduler/schedule:Schedule";
/** Services that invoke Lambda asynchronously (the only invocations a dead-letter target ever receives). */
export const ASYNC_INVOKER_PRINCIPALS: readonly string[] = ["events.amazonaws.com", "scheduler.amazonaws.com", "sns.amazonaws.com", "s3.amazonaws.com"];

/** Whether anything in the stack invokes `fn` asynchronously: an EventBridge target or schedule, or a permission for an async service. */
function invokedAsynchronously(fn: ResourceView, views: readonly ResourceView[]): boolean {
    const points = (v: ResourceView, prop: string, value: unknown) => referenced(v, prop, value, [fn], identitiesOf).length > 0;
    return views.some(
        (v) =>
            (v.type === EVENT_TARGET_TYPE && points(v, "arn", v.props.arn)) ||
            (v.type === SCHEDULE_TYPE && points(v, "target", at(v.props, "target", "arn"))) ||
            (v.type === PERMISSION_TYPE && ASYNC_INVOKER_PRINCIPALS.includes(str(v.props.principal) ?? "") && points(v, "function", v.props.function)),
    );
}

export const EVENT_SOURCE_MAPPING_TYPE = "aws:lambda/eventSourceMapping:EventSourceMapping";
/** Event sources whose mappings can send failed records to an on-failure destination. */
const STREAM_SOURCE = /^arn:aws[a-z-]*:(dynamodb|kinesis):/;

export const lambdaDeadLetterConfig: StackRule = {
    name: "lambda-dead-letter-config",
    description:
        "Failures that no client retries are kept: a function invoked asynchronously (EventBridge, EventBridge Scheduler, SNS, S3) has a `deadLetterConfig.targetArn`, " +
        "and a stream event source mapping has a `destinationConfig.onFailure`. A dead-letter target on a function nothing invokes asynchronously " +
        "(e.g. only API Gateway, which invokes synchronously) can never receive a message, and is refused.",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const fn of views.filter((v) => v.type === FUNCTION_TYPE)) {
            const target = at(fn.props, "deadLetterConfig", "targetArn");
            if (isUnknown(target)) {
                continue;
            }
            const async = invokedAsynchronously(fn, views);
            if (!isSet(target) && async) {
                report(
                    `function ${fn.name} is invoked asynchronously but has no \`deadLetterConfig.targetArn\`: events it fails after Lambda's ` +
                        "retries are dropped; point it at an SQS queue (encrypted) or SNS topic.",
                    fn.urn,
                );
            } else if (isSet(target) && !async) {
                report(
                    `function ${fn.name} has a \`deadLetterConfig.targetArn\` but nothing in the stack invokes it asynchronously: Lambda sends only ` +
                        "failed asynchronous invocations there (API Gateway invokes synchronously), so it can never receive a message. Remove it, " +
                        "or use the queue where failures really land (e.g. an event source mapping's `destinationConfig.onFailure`).",
                    fn.urn,
                );
            }
        }
        for (const mapping of views.filter((v) => v.type === EVENT_SOURCE_MAPPING_TYPE)) {
            const source = mapping.props.eventSourceArn;
            const onFailure = at(mapping.props, "destinationConfig", "onFailure", "destinationArn");
            if (!isUnknown(source) && STREAM_SOURCE.test(str(source) ?? "") && !isUnknown(onFailure) && !isSet(onFailure)) {
                report(
                    `event source mapping ${mapping.name} reads a stream but has no \`destinationConfig.onFailure\`: records the function keeps ` +
                        "failing are dropped when they expire or run out of retries; send them to an encrypted SQS queue.",
                    mapping.urn,
                );
            }
        }
    },
};

export const lambdaNoVpcWithoutEndpoints: StackRule = {
    name: "lambda-no-vpc-without-endpoints",
    description:
        "Functions have no `vpcConfig` unless the stack creates VPC endpoints in their region (a private subnet without endpoints cannot reach DynamoDB, S3 or SQS).",
    enforcementLevel: "mandatory",
    validateStack: (views, report) => {
        for (const fn of views.filter((v) => v.type === FUNCTION_TYPE)) {
            const vpc = obj(fn.props.vpcConfig);
            if (!vpc || list(vpc.subnetIds).length === 0) {
                continue;
            }
            const endpoints = views.filter((v) => v.type === VPC_ENDPOINT_TYPE && (v.region === undefined || v.region === fn.region));
            if (endpoints.length === 0) {
                report(
                    `function ${fn.name} runs in a VPC but the stack creates no VPC endpoints in ${fn.region ?? "its region"}: it cannot reach ` +
                        "DynamoDB, S3 or SQS. Remove `vpcConfig` (the default) or add gateway/interface endpoints.",
                    fn.urn,
                );
            }
        }
    },
};

export const lambdaNoReservedEnvNames: ResourceRule = {
    name: "lambda-no-reserved-env-names",
    description: "Function environment variables do not use names Lambda reserves (`AWS_*`, `_HANDLER`, `LAMBDA_TASK_ROOT`, ...).",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== FUNCTION_TYPE) {
            return;
        }
        const names = Object.keys(obj(at(view.props, "environment", "variables")) ?? {}).filter((n) => RESERVED_ENV_NAME.test(n));
        if (names.length > 0) {
            report(`environment variables ${names.join(", ")} use names Lambda reserves (AWS_REGION is set by the runtime): rename them (e.g. APP_REGION).`);
        }
    },
};

export const LAMBDA_RULES = [lambdaSupportedRuntime, lambdaLogGroupRetention, lambdaDeadLetterConfig, lambdaNoVpcWithoutEndpoints, lambdaNoReservedEnvNames];
