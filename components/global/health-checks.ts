import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FailoverNames } from "./dns";
import type { GlobalLayerScope } from "./global-layer-args";
import { REGION_ROLES, RegionRole } from "../shared/naming";
import { createPaymentHealthChecks, PAYMENT_SIGNAL_CHILDREN, PaymentSignalChild } from "./payment-signal";

/** What each region's failover decision is made of, before the calculated checks combine them. */
export interface RegionHealthChecks {
    /** Each region's HTTPS check of its secret `/health` probe route. */
    readonly endpoint: Record<RegionRole, aws.route53.HealthCheck>;
    /** What each region's HTTPS check probes. */
    readonly targets: Record<RegionRole, pulumi.Output<string>>;
    /** Each region's payment-signal checks by child (handler, API 5xx, Lambda errors, Lambda throttles). */
    readonly payments: Record<RegionRole, Record<PaymentSignalChild, aws.route53.HealthCheck>>;
}

/** Each region's HTTPS health check of its own name, and its payment-signal checks. */
export function createRegionHealthChecks(scope: GlobalLayerScope, table: aws.dynamodb.Table, names: FailoverNames): RegionHealthChecks {
    const { name, a, inRegion } = scope;
    const { stacks } = a;
    const customDomains = names.dns.servesHttps;
    const endpoint = {} as Record<RegionRole, aws.route53.HealthCheck>;
    const targets = {} as Record<RegionRole, pulumi.Output<string>>;
    const payments = {} as Record<RegionRole, Record<PaymentSignalChild, aws.route53.HealthCheck>>;
    for (const role of REGION_ROLES) {
        // Probe the region's own name, so a check tells which region is healthy, not which one DNS prefers.
        const target = customDomains ? pulumi.output(names.domains[role].regionalFqdn) : stacks[role].apiHost;
        endpoint[role] = new aws.route53.HealthCheck(
            `${name}-${role}-health`,
            {
                type: "HTTPS",
                fqdn: target,
                port: 443,
                // The secret probe route: nobody else can reach or exhaust it (components/regional/health-probe.ts).
                resourcePath: stacks[role].healthProbePath,
                enableSni: true,
                requestInterval: a.healthCheckIntervalSeconds,
                failureThreshold: a.healthCheckFailureThreshold,
                measureLatency: true,
                // Explicit, so `pulumi up` undoes a check inverted by hand (the switch is the takeover signal).
                invertHealthcheck: false,
                tags: { Name: `payments-dr-${a.envLabel}-${role}` },
            },
            // After the table (a first deploy must not fail over to a region with no data yet) and, in
            // custom-domain mode, after the regional name exists, so checks do not start by failing.
            inRegion("route53", { dependsOn: customDomains ? [table, names.domains[role]] : [table] }),
        );
        // Payments failing while /health still passes (a fault the probes do not reach): one child per alarm of
        // the region's payment signal, in its own region (components/global/payment-signal.ts).
        payments[role] = createPaymentHealthChecks(
            name,
            { role, region: stacks[role].region, envLabel: a.envLabel, alarmNames: stacks[role].paymentSignalAlarmNames },
            inRegion("route53"),
        );
        targets[role] = target;
    }
    return { endpoint, targets, payments };
}

/** The ids of every payment-signal check of a region, by child. */
export function paymentSignalCheckIds(checks: RegionHealthChecks, role: RegionRole): Record<PaymentSignalChild, pulumi.Output<string>> {
    return Object.fromEntries(PAYMENT_SIGNAL_CHILDREN.map((c) => [c, checks.payments[role][c].id])) as Record<PaymentSignalChild, pulumi.Output<string>>;
}

/**
 * Each region's CALCULATED check, the one its failover record uses: healthy only while every child is. A region's
 * children are its endpoint check and its payment-signal checks; the primary's also `primaryExtraChildren` (the
 * takeover signal's check). Add a condition by adding a child here.
 */
export function createFailoverHealthChecks(
    scope: GlobalLayerScope,
    checks: RegionHealthChecks,
    primaryExtraChildren: readonly pulumi.Input<string>[],
): Record<RegionRole, aws.route53.HealthCheck> {
    const { name, a, inRegion } = scope;
    const failoverChecks = {} as Record<RegionRole, aws.route53.HealthCheck>;
    for (const role of REGION_ROLES) {
        const children: pulumi.Input<string>[] = [
            checks.endpoint[role].id,
            ...PAYMENT_SIGNAL_CHILDREN.map((c) => checks.payments[role][c].id),
            ...(role === "primary" ? primaryExtraChildren : []),
        ];
        failoverChecks[role] = new aws.route53.HealthCheck(
            `${name}-${role}-failover-health`,
            {
                type: "CALCULATED",
                childHealthchecks: children,
                // Healthy only while every child is: the endpoint answers /health and no payment signal alarms.
                childHealthThreshold: children.length,
                tags: { Name: `payments-dr-${a.envLabel}-${role}-failover` },
            },
            inRegion("route53"),
        );
    }
    return failoverChecks;
}
