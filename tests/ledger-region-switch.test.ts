import { expect } from "chai";
import { ledgerRegionSwitchPolicy, ledgerRegionSwitchStep } from "../components/ledger/region-switch";
import { rolePolicyProblems } from "./policy/support";

const GLOBAL_ARN = "arn:aws:rds::123456789012:global-cluster:ledger-global-prod-abc123";
const CLUSTERS = [
    "arn:aws:rds:us-east-1:123456789012:cluster:ledger-primary-prod-abc123",
    "arn:aws:rds:us-west-2:123456789012:cluster:ledger-secondary-prod-abc123",
];

describe("ledger step of an ARC Region switch plan", () => {
    it("switches over the global database gracefully (RPO 0) and fails over with data loss only when ungraceful", () => {
        const step = ledgerRegionSwitchStep({ globalClusterIdentifier: "ledger-global-prod-abc123", clusterArns: CLUSTERS });
        expect(step).to.deep.include({ executionBlockType: "AuroraGlobalDatabase", name: "ledger-aurora-global-database" });
        expect(step.globalAuroraConfigs).to.deep.equal([
            {
                behavior: "switchoverOnly",
                ungracefuls: [{ ungraceful: "failover" }],
                globalClusterIdentifier: "ledger-global-prod-abc123",
                databaseClusterArns: CLUSTERS,
                timeoutMinutes: 30,
            },
        ]);
    });

    it("gives the plan's role exactly the switchover and failover calls on this global database and its clusters (the pack's IAM rules pass)", async () => {
        const policy = ledgerRegionSwitchPolicy({ globalClusterArn: GLOBAL_ARN, clusterArns: CLUSTERS });
        expect(policy.Statement.flatMap((s) => [s.Resource].flat())).to.not.include("*");
        expect(Object.values(await rolePolicyProblems(policy)).flat()).to.deep.equal([]);
    });
});
