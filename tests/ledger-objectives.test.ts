import { expect } from "chai";
import { parseStackSettings, RawConfig } from "../program/config";
import { computeRecoveryObjectives, formatRecoveryObjectives } from "../program/objectives";

const BASE: RawConfig = { environment: "dev", domainName: "payments.acme-pay.net", owner: "o", costCenter: "c" };

describe("ledger recovery objectives", () => {
    it("adds the ledger's RPO (the RPO-lag alarm, in seconds) and RTO only when the ledger is on", () => {
        const off = computeRecoveryObjectives(parseStackSettings(BASE));
        expect(off.rpo.map((o) => o.store)).to.have.length(2);
        expect(off.ledgerRto).to.equal(undefined);

        const on = computeRecoveryObjectives(parseStackSettings({ ...BASE, ledger: "aurora-global", rpoTargetMinutes: "10" }));
        const ledger = on.rpo[2];
        expect(ledger).to.include({ worstCaseSeconds: 300, targetSeconds: 600 });
        expect(ledger.watchedBy).to.equal("AuroraGlobalDBRPOLag maximum >= 300000 ms and AuroraGlobalDBReplicationLag maximum >= 60000 ms");
        expect(on.ledgerRto?.rtoSeconds).to.equal(360);
        expect(on.problems).to.deep.equal([]);
        const report = formatRecoveryObjectives(on);
        expect(report).to.include("RPO Aurora global database (ledger_entries");
        expect(report).to.match(/RTO ledger \(Aurora\)\s+360 s \(300 s operator decision/);
    });
});
