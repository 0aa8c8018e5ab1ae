/**
 * Physical names of the relational ledger's resources, on the same rules as `naming.ts`: environment label,
 * random suffix and, where regional, the region's role.
 */
import { fitName, NAME_LIMITS, NameContext, RegionRole } from "../shared/naming";

/** RDS cluster and global cluster identifiers: 1-63 letters, digits and hyphens, starting with a letter. */
export const RDS_IDENTIFIER_LIMIT = 63;
/** RDS parameter and subnet group names share the 255-character limit. */
const RDS_GROUP_LIMIT = 255;

export const ledgerNames = {
    globalCluster: (ctx: NameContext) => fitName("ledger-global", ctx, RDS_IDENTIFIER_LIMIT),
    cluster: (ctx: NameContext, role: RegionRole) => fitName(`ledger-${role}`, ctx, RDS_IDENTIFIER_LIMIT),
    /** `<cluster>-<n>`: instance identifiers follow their cluster's. */
    instance: (ctx: NameContext, role: RegionRole, n: number) => fitName(`ledger-${role}-${n}`, ctx, RDS_IDENTIFIER_LIMIT),
    /** The final snapshot a prod cluster leaves when it is deleted. */
    finalSnapshot: (ctx: NameContext, role: RegionRole) => fitName(`ledger-${role}-final`, ctx, RDS_IDENTIFIER_LIMIT),
    subnetGroup: (ctx: NameContext, role: RegionRole) => fitName(`ledger-${role}`, ctx, RDS_GROUP_LIMIT),
    parameterGroup: (ctx: NameContext, role: RegionRole) => fitName(`ledger-${role}-tls`, ctx, RDS_GROUP_LIMIT),
    projectorFunction: (ctx: NameContext, role: RegionRole) => fitName(`ledger-projector-${role}`, ctx, NAME_LIMITS.lambdaFunction),
    projectorRole: (ctx: NameContext, role: RegionRole) => fitName(`ledger-projector-${role}`, ctx, NAME_LIMITS.iamRole),
    migratorFunction: (ctx: NameContext, role: RegionRole) => fitName(`ledger-migrator-${role}`, ctx, NAME_LIMITS.lambdaFunction),
    migratorRole: (ctx: NameContext, role: RegionRole) => fitName(`ledger-migrator-${role}`, ctx, NAME_LIMITS.iamRole),
    failureQueue: (ctx: NameContext, role: RegionRole) => fitName(`ledger-projector-failures-${role}`, ctx, NAME_LIMITS.sqsQueue),
    flowLogGroup: (ctx: NameContext, role: RegionRole) => `/aws/vpc/flow-logs/${fitName(`ledger-${role}`, ctx, 200)}`,
    flowLogRole: (ctx: NameContext, role: RegionRole) => fitName(`ledger-flow-logs-${role}`, ctx, NAME_LIMITS.iamRole),
    /** The `Name` tag of VPC resources (VPC, subnets, security groups, endpoints). */
    tag: (ctx: NameContext, role: RegionRole, what: string) => fitName(`ledger-${role}-${what}`, ctx, 255),
};
