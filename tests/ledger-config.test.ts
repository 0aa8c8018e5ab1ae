import { expect } from "chai";
import { parseStackSettings, RawConfig } from "../program/config";
import { problemsOf, VALID_CONFIG } from "./support/config-problems";
import { cidrsOverlap, subnetCidrs } from "../components/ledger/cidr";

const VALID: RawConfig = VALID_CONFIG;
const ON: RawConfig = { ...VALID, ledger: "aurora-global" };

describe("ledger config", () => {
    it("is off by default", () => {
        expect(parseStackSettings(VALID).ledger).to.deep.equal({ mode: "none" });
        expect(parseStackSettings({ ...VALID, ledger: "none" }).ledger).to.deep.equal({ mode: "none" });
    });

    it("applies defaults when on: non-overlapping /16s, Serverless v2 0.5-2 ACUs in dev (16 in prod), writer in the primary", () => {
        expect(parseStackSettings(ON).ledger).to.deep.equal({
            mode: "aurora-global",
            vpcCidrs: { primary: "10.40.0.0/16", secondary: "10.41.0.0/16" },
            instanceClass: "db.serverless",
            minCapacityAcu: 0.5,
            maxCapacityAcu: 2,
            writerRole: "primary",
            instancesPerCluster: 1,
        });
        const prod = parseStackSettings({ ...ON, environment: "prod", domainMode: "custom-domain" }).ledger;
        expect(prod).to.include({ maxCapacityAcu: 16, instancesPerCluster: 2 });
    });

    it("takes every key", () => {
        const s = parseStackSettings({
            ...ON,
            ledgerPrimaryVpcCidr: "172.16.0.0/20",
            ledgerSecondaryVpcCidr: "192.168.0.0/22",
            ledgerMinCapacityAcu: "1.5",
            ledgerMaxCapacityAcu: "8",
            ledgerWriterRole: "secondary",
        }).ledger;
        expect(s).to.deep.include({
            vpcCidrs: { primary: "172.16.0.0/20", secondary: "192.168.0.0/22" },
            minCapacityAcu: 1.5,
            maxCapacityAcu: 8,
            writerRole: "secondary",
        });
    });

    it("refuses a bad mode, and ledger keys while the ledger is off", () => {
        expect(problemsOf({ ...VALID, ledger: "aurora" })).to.deep.equal(['`payments-dr:ledger` is "aurora": must be one of none, aurora-global.']);
        expect(problemsOf({ ...VALID, ledgerWriterRole: "secondary" })).to.deep.equal([
            '`payments-dr:ledgerWriterRole` is "secondary": only applies with `payments-dr:ledger` aurora-global; remove it or turn the ledger on.',
        ]);
    });

    it("refuses malformed, public, misaligned, too large and overlapping CIDRs, each with its reason", () => {
        expect(problemsOf({ ...ON, ledgerPrimaryVpcCidr: "10.40.0.0" })).to.deep.equal([
            '`payments-dr:ledgerPrimaryVpcCidr` is "10.40.0.0": must be an IPv4 CIDR block such as 10.40.0.0/16.',
        ]);
        expect(problemsOf({ ...ON, ledgerPrimaryVpcCidr: "8.8.0.0/16" })).to.deep.equal([
            '`payments-dr:ledgerPrimaryVpcCidr` is "8.8.0.0/16": must be inside a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16).',
        ]);
        expect(problemsOf({ ...ON, ledgerPrimaryVpcCidr: "10.40.1.0/16" })).to.deep.equal([
            '`payments-dr:ledgerPrimaryVpcCidr` is "10.40.1.0/16": is not aligned to its prefix: the network address of /16 here is 10.40.0.0.',
        ]);
        expect(problemsOf({ ...ON, ledgerPrimaryVpcCidr: "10.0.0.0/8" })).to.deep.equal([
            '`payments-dr:ledgerPrimaryVpcCidr` is "10.0.0.0/8": must have a prefix from /16 (VPC maximum) to /22 (three /24 subnets, each AZ\'s functions and databases need addresses).',
        ]);
        expect(problemsOf({ ...ON, ledgerSecondaryVpcCidr: "10.40.128.0/17" })).to.deep.equal([
            '`payments-dr:ledgerSecondaryVpcCidr` is "10.40.128.0/17": overlaps `payments-dr:ledgerPrimaryVpcCidr` 10.40.0.0/16: peered VPCs need distinct address ranges.',
        ]);
    });

    it("refuses bad capacity and classes, reporting all problems together", () => {
        expect(problemsOf({ ...ON, ledgerMinCapacityAcu: "0", ledgerMaxCapacityAcu: "300", ledgerWriterRole: "west" })).to.deep.equal([
            '`payments-dr:ledgerMinCapacityAcu` is "0": must be a number of ACUs from 0.5 to 256 in steps of 0.5.',
            '`payments-dr:ledgerMaxCapacityAcu` is "300": must be a number of ACUs from 0.5 to 256 in steps of 0.5.',
            '`payments-dr:ledgerWriterRole` is "west": must be primary or secondary: the region whose cluster the global database promoted to writer.',
        ]);
        expect(problemsOf({ ...ON, ledgerMinCapacityAcu: "4", ledgerMaxCapacityAcu: "2" })).to.deep.equal([
            '`payments-dr:ledgerMaxCapacityAcu` is "2": must be at least `payments-dr:ledgerMinCapacityAcu` (4).',
        ]);
        expect(problemsOf({ ...ON, ledgerInstanceClass: "db.t4g.medium" })).to.deep.equal([
            '`payments-dr:ledgerInstanceClass` is "db.t4g.medium": must be db.serverless (Serverless v2) or a memory-optimised provisioned class such as db.r6g.large (Aurora global databases do not run on burstable db.t classes).',
        ]);
        expect(problemsOf({ ...ON, ledgerInstanceClass: "db.r6g.large", ledgerMaxCapacityAcu: "4" })).to.deep.equal([
            '`payments-dr:ledgerMaxCapacityAcu` is "4": only applies to `payments-dr:ledgerInstanceClass` db.serverless; remove it for a provisioned class.',
        ]);
    });

    it("splits a VPC block into three subnets and detects overlaps", () => {
        expect(subnetCidrs("10.40.0.0/16", 3)).to.deep.equal(["10.40.0.0/18", "10.40.64.0/18", "10.40.128.0/18"]);
        expect(subnetCidrs("192.168.4.0/22", 3)).to.deep.equal(["192.168.4.0/24", "192.168.5.0/24", "192.168.6.0/24"]);
        expect(cidrsOverlap("10.40.0.0/16", "10.41.0.0/16")).to.equal(false);
        expect(cidrsOverlap("10.40.0.0/16", "10.40.255.0/24")).to.equal(true);
    });
});
