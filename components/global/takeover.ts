import * as pulumi from "@pulumi/pulumi";
import type { GlobalLayerScope } from "./global-layer-args";
import { createTakeoverSignal, TakeoverSignal } from "../takeover/health-check";
import {
    takeoverAlarmName,
    takeoverDimensionValue,
    TakeoverSignalOutput,
    TAKEOVER_METRIC,
    TAKEOVER_NAMESPACE,
    TAKEOVER_PERIOD_SECONDS,
    TAKEOVER_DIMENSION,
} from "../../contracts/takeover-signal";

export interface StandbyTakeover extends TakeoverSignal {
    /** What `npm run failover`/`failback` set, clear and read: the metric, its alarm, in the standby region. */
    readonly output: pulumi.Output<TakeoverSignalOutput>;
}

/**
 * The takeover signal, in the standby region: `npm run failover` sets it with a data-plane call there. Its
 * health check becomes a child of the primary's failover check: the primary keeps its traffic only while no
 * takeover is signalled.
 */
export function createStandbyTakeover(scope: GlobalLayerScope): StandbyTakeover {
    const { name, a, inRegion, nameOf } = scope;
    const { stacks } = a;
    const takeoverName = nameOf(takeoverAlarmName);
    const takeover = createTakeoverSignal(`${name}-takeover-signal`, {
        region: stacks.secondary.region,
        alarmName: takeoverName,
        dimensionValue: nameOf(takeoverDimensionValue),
        topicArn: stacks.secondary.topicArn,
        envLabel: a.envLabel,
        standby: inRegion("secondary"),
        route53: inRegion("route53"),
    });
    const output = pulumi
        .all([takeover.alarm.name, takeover.alarm.arn, nameOf(takeoverDimensionValue)])
        .apply(([alarmName, alarmArn, dimension]): TakeoverSignalOutput => ({
            region: stacks.secondary.region,
            namespace: TAKEOVER_NAMESPACE,
            metricName: TAKEOVER_METRIC,
            dimensions: { [TAKEOVER_DIMENSION]: dimension },
            alarmName,
            alarmArn,
            periodSeconds: TAKEOVER_PERIOD_SECONDS,
        }));
    return { ...takeover, output };
}
