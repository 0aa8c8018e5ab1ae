import * as pulumi from "@pulumi/pulumi";
import { requireValidArgs } from "../shared/component-args";
import { createDocumentReplication, replicationDirections } from "./document-replication";
import { createGlobalAlarms } from "./alarms";
import { createGlobalDashboard } from "./global-dashboard";
import { createFailoverNames, createFailoverRecordSet, createFailoverZone } from "./dns";
import { createFailoverHealthChecks, createRegionHealthChecks, paymentSignalCheckIds } from "./health-checks";
import { GlobalLayerArgs, globalLayerArgProblems, globalLayerScope, withGlobalDefaults } from "./global-layer-args";
import { createGlobalTable } from "./table";
import { createStandbyTakeover } from "./takeover";
import { REGION_ROLES, RegionRole } from "../shared/naming";
import { createOperatorRole } from "./operator-role";
import { PaymentSignalChild } from "./payment-signal";
import { TakeoverSignalOutput } from "../../contracts/takeover-signal";

/**
 * What spans regions: the DynamoDB global table (home in the primary region, a replica in the secondary), S3
 * replication between the documents buckets, the Route 53 zone with a health check and a failover record per
 * region (and regional custom domains in custom-domain mode), cross-region alarms, the dashboard and the DR
 * operator role. Resources pass `{ parent: this, provider }` explicitly: this component spans regions.
 */
export class GlobalLayer extends pulumi.ComponentResource {
    /** The global table: the system of record, replicated to the secondary region. */
    public readonly tableName: pulumi.Output<string>;
    /** The table's ARN in the primary region (the replica's ARN differs only in its region). */
    public readonly tableArn: pulumi.Output<string>;
    /** Each region's stream of the table (the home table's and the replica's): what the ledger projectors read. */
    public readonly tableStreamArns: Record<RegionRole, pulumi.Output<string>>;
    /** The hosted zone holding the failover records (created here, or `hostedZoneId`). */
    public readonly zoneId: pulumi.Output<string>;
    /** The zone's name servers: delegate `domainName` to them. */
    public readonly nameServers: pulumi.Output<string[]>;
    /** The name clients call: the HTTPS name once custom domains serve, else the DNS-only name. */
    public readonly failoverFqdn: string;
    /** Each region's HTTPS check of `GET /health` (the one `failoverDrill` inverts). */
    public readonly healthCheckIds: Record<RegionRole, pulumi.Output<string>>;
    /** Each region's CloudWatch-alarm check on the handler's payment failure share. */
    public readonly paymentsHealthCheckIds: Record<RegionRole, pulumi.Output<string>>;
    /** Each region's payment-signal checks by child (handler, API 5xx, Lambda errors, Lambda throttles). */
    public readonly paymentSignalHealthCheckIds: Record<RegionRole, Record<PaymentSignalChild, pulumi.Output<string>>>;
    /** Each region's CALCULATED check (all children healthy), the one its failover record uses. */
    public readonly failoverHealthCheckIds: Record<RegionRole, pulumi.Output<string>>;
    /** What each region's health check probes. */
    public readonly healthCheckTargets: Record<RegionRole, pulumi.Output<string>>;
    /** The topic of the Route 53 health-check alarms, in us-east-1. */
    public readonly route53AlarmTopicArn: pulumi.Output<string>;
    /** The CloudWatch dashboard showing both regions side by side. */
    public readonly dashboardName: pulumi.Output<string>;
    /** The role S3 replication assumes (least privilege on the two buckets and keys). */
    public readonly replicationRoleArn: pulumi.Output<string>;
    /** The DR operator role (MFA): exactly the calls of the failover, failback, reconcile and drill:status scripts. */
    public readonly operatorRoleArn: pulumi.Output<string>;
    /** The takeover signal in the standby region (what `npm run failover`/`failback` set and clear). */
    public readonly takeoverSignal: pulumi.Output<TakeoverSignalOutput>;
    /** The Route 53 health check that follows the takeover alarm (a child of the primary's failover check). */
    public readonly takeoverHealthCheckId: pulumi.Output<string>;
    /** The DR operator role's name (the ARC Region switch plan, created in index.ts, adds its policy to it). */
    public readonly operatorRoleName: pulumi.Output<string>;
    /** The primary's CALCULATED check (endpoint healthy and no takeover), the one its failover record uses. */
    public readonly primaryFailoverHealthCheckId: pulumi.Output<string>;
    /** Things the operator must know about this stack (e.g. a DNS-only failover name). */
    public readonly notices: string[];

    constructor(name: string, args: GlobalLayerArgs, opts?: pulumi.ComponentResourceOptions) {
        // Bad args stop the program before anything (this component included) is registered.
        // Bad args stop the program before anything (this component included) is registered.
        const a = withGlobalDefaults(args);
        requireValidArgs(`GlobalLayer "${name}"`, globalLayerArgProblems(a));
        // Shipped as payments-dr:index:GlobalLayer (issue 22 moved it): the alias keeps existing stacks' resources.
        super("payments-dr:global:GlobalLayer", name, {}, { ...opts, aliases: [{ type: "payments-dr:index:GlobalLayer" }, ...(opts?.aliases ?? [])] });
        // Every part registers its resources with this layer as parent, under the names they always had.
        const scope = globalLayerScope(name, this, a);
        const byRegion = <T>(f: (role: RegionRole) => T) => Object.fromEntries(REGION_ROLES.map((role) => [role, f(role)])) as Record<RegionRole, T>;

        // --- DynamoDB global table, the system of record, and the receipt finishers on its streams (global-table.ts).
        const { table, streamArns } = createGlobalTable(scope);
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.tableStreamArns = streamArns;

        // --- S3 replication, primary → secondary (and back, when configured) (document-replication.ts).
        const directions = replicationDirections(a.reverseReplication);
        this.replicationRoleArn = createDocumentReplication(scope).arn;

        // --- Route 53: zone, regional custom domains (global-dns.ts), per-region health checks (global-health-checks.ts).
        const zone = createFailoverZone(scope);
        this.zoneId = zone.zoneId;
        this.nameServers = zone.nameServers;
        const failoverNames = createFailoverNames(scope, zone.delegatedZoneId);
        this.failoverFqdn = failoverNames.dns.name;
        this.notices = failoverNames.notices;
        const checks = createRegionHealthChecks(scope, table, failoverNames);
        this.healthCheckIds = byRegion((role) => checks.endpoint[role].id);
        this.healthCheckTargets = checks.targets;
        this.paymentsHealthCheckIds = byRegion((role) => checks.payments[role].handler.id);
        this.paymentSignalHealthCheckIds = byRegion((role) => paymentSignalCheckIds(checks, role));
        // --- The takeover signal in the standby region (global-takeover.ts): the primary keeps its traffic only while
        // no takeover is signalled, besides its own conditions.
        const takeover = createStandbyTakeover(scope);
        this.takeoverHealthCheckId = takeover.healthCheck.id;
        this.takeoverSignal = takeover.output;
        const failoverChecks = createFailoverHealthChecks(scope, checks, [takeover.healthCheck.id]);
        this.failoverHealthCheckIds = byRegion((role) => failoverChecks[role].id);
        this.primaryFailoverHealthCheckId = failoverChecks.primary.id;
        createFailoverRecordSet(scope, zone.zoneId, failoverNames, this.failoverHealthCheckIds);

        // --- Cross-region alarms (global-alarms.ts) and the dashboard (global-dashboard.ts).
        this.route53AlarmTopicArn = createGlobalAlarms(scope, { tableName: table.name, failoverCheckIds: this.failoverHealthCheckIds, directions });
        this.dashboardName = createGlobalDashboard(scope, {
            tableName: table.name,
            failoverCheckIds: this.failoverHealthCheckIds,
            endpointCheckIds: this.healthCheckIds,
        }).dashboardName;

        // --- The DR operator role: what the runbook and the drill need, nothing else (operator-role.ts).
        const operatorRole = createOperatorRole(scope, {
            healthCheckIds: [
                ...REGION_ROLES.flatMap((r) => [this.healthCheckIds[r], ...Object.values(this.paymentSignalHealthCheckIds[r]), this.failoverHealthCheckIds[r]]),
                takeover.healthCheck.id,
            ],
            zoneId: zone.zoneId,
            takeoverAlarmArn: takeover.alarm.arn,
            tableName: table.name,
        });
        this.operatorRoleArn = operatorRole.arn;
        this.operatorRoleName = operatorRole.name;

        this.registerOutputs({
            tableName: this.tableName,
            tableArn: this.tableArn,
            zoneId: this.zoneId,
            nameServers: this.nameServers,
            failoverFqdn: this.failoverFqdn,
            healthCheckIds: this.healthCheckIds,
            paymentsHealthCheckIds: this.paymentsHealthCheckIds,
            paymentSignalHealthCheckIds: this.paymentSignalHealthCheckIds,
            failoverHealthCheckIds: this.failoverHealthCheckIds,
            route53AlarmTopicArn: this.route53AlarmTopicArn,
            dashboardName: this.dashboardName,
            replicationRoleArn: this.replicationRoleArn,
            operatorRoleArn: this.operatorRoleArn,
            takeoverSignal: this.takeoverSignal,
            takeoverHealthCheckId: this.takeoverHealthCheckId,
            primaryFailoverHealthCheckId: this.primaryFailoverHealthCheckId,
        });
    }
}
