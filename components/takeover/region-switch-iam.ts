import { policyDocument, type PolicyDocument } from "../shared/iam";

/** The takeover-switch function's permissions: publish the takeover metric (only its namespace), write its logs and traces. */
export function takeoverSwitchPolicy(a: { readonly logGroupArn: string; readonly namespace: string }): PolicyDocument {
    return policyDocument(
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.logGroupArn}:*` },
        // PutMetricData has no resource-level permissions; the namespace condition keeps it to the takeover metric.
        {
            Sid: "PublishTakeoverSignal",
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": a.namespace } },
        },
        // The functions trace actively (tracingConfig Active): Lambda sends segments with the function's role.
        // X-Ray has no resource-level permissions for these two actions.
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
    );
}

/**
 * The plan execution role: invoke exactly the takeover-switch functions (ARC Region switch's sample policy for
 * custom action Lambda blocks: GetFunction and InvokeFunction), check its own permissions, read its own plan.
 */
export function regionSwitchExecutionPolicy(a: {
    readonly functionArns: readonly string[];
    readonly roleArn: string;
    readonly planArn: string;
}): PolicyDocument {
    return policyDocument(
        { Sid: "RunTakeoverSwitch", Effect: "Allow", Action: ["lambda:GetFunction", "lambda:InvokeFunction"], Resource: [...a.functionArns] },
        { Sid: "CheckOwnPermissions", Effect: "Allow", Action: "iam:SimulatePrincipalPolicy", Resource: a.roleArn },
        {
            Sid: "ReadOwnPlan",
            Effect: "Allow",
            Action: ["arc-region-switch:GetPlan", "arc-region-switch:GetPlanExecution", "arc-region-switch:ListPlanExecutions"],
            Resource: a.planArn,
        },
    );
}

/** What the DR operator needs to run the plan: start an execution, approve its step, follow it; this plan only. */
export const REGION_SWITCH_OPERATOR_ACTIONS = [
    "arc-region-switch:StartPlanExecution",
    "arc-region-switch:ApprovePlanExecutionStep",
    "arc-region-switch:GetPlanExecution",
    "arc-region-switch:ListPlanExecutionEvents",
] as const;

export function regionSwitchOperatorPolicy(planArn: string): PolicyDocument {
    return policyDocument({ Sid: "RunRegionSwitchPlan", Effect: "Allow", Action: [...REGION_SWITCH_OPERATOR_ACTIONS], Resource: planArn });
}
