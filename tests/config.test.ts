import { expect } from "chai";
import { ConfigValidationError, parseStackSettings, RawConfig, StackSettings } from "../program/config";
import { readStackConfig } from "../scripts/synth/stack-config";
import { problemsOf, VALID_CONFIG as VALID } from "./support/config-problems";

function unprefixed(stack: string): RawConfig {
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(readStackConfig(stack))) {
        if (key.startsWith("payments-dr:")) {
            raw[key.slice("payments-dr:".length)] = value;
        }
    }
    return raw;
}

describe("stack config validation", () => {
    it("applies safe dev defaults", () => {
        const s = parseStackSettings(VALID);
        expect(s).to.include({
            primaryRegion: "us-east-1",
            secondaryRegion: "us-west-2",
            logRetentionDays: 7,
            healthCheckIntervalSeconds: 30,
            healthCheckFailureThreshold: 3,
            lambdaMemoryMb: 1024,
            lambdaTimeoutSeconds: 10,
            deletionProtection: false,
            replicationTimeControl: false,
            kmsDeletionWindowDays: 7,
            failoverFqdn: "api.payments.acme-pay.net",
            envLabel: "dev",
        });
        expect(s.reservedConcurrency).to.equal(undefined);
        expect(Object.isFrozen(s)).to.equal(true);
    });

    it("defaults prod to protection, RTC and long retention", () => {
        const s = parseStackSettings({
            ...VALID,
            environment: "prod",
            targetTps: "1000",
            tableWarmWriteUnits: "4000",
        });
        expect(s).to.include({ deletionProtection: true, replicationTimeControl: true, logRetentionDays: 90, kmsDeletionWindowDays: 30 });
    });

    const cases: Array<[string, RawConfig, string]> = [
        ["an unknown environment", { environment: "qa" }, '`payments-dr:environment` is "qa": must be one of dev, staging, prod.'],
        [
            "an unknown region",
            { primaryRegion: "us-east-9" },
            '`payments-dr:primaryRegion` is "us-east-9": is not an AWS region of the commercial partition (e.g. us-east-1, us-west-2, eu-west-1).',
        ],
        [
            "a region outside the partition",
            { secondaryRegion: "cn-north-1" },
            '`payments-dr:secondaryRegion` is "cn-north-1": is in partition aws-cn; this stack deploys to the commercial "aws" partition only.',
        ],
        [
            "equal regions",
            { primaryRegion: "eu-west-1", secondaryRegion: "eu-west-1" },
            '`payments-dr:secondaryRegion` is "eu-west-1": must differ from `payments-dr:primaryRegion`: a replica in the home region is refused by DynamoDB and gives no disaster recovery.',
        ],
        [
            "example.com",
            { domainName: "example.com" },
            '`payments-dr:domainName` is "example.com": is under example.com, which is reserved (AWS refuses hosted zones for it); use a domain you own.',
        ],
        [
            "a subdomain of example.org",
            { domainName: "pay.example.org" },
            '`payments-dr:domainName` is "pay.example.org": is under example.org, which is reserved (AWS refuses hosted zones for it); use a domain you own.',
        ],
        [
            "a .test domain",
            { domainName: "payments.test" },
            '`payments-dr:domainName` is "payments.test": uses the reserved top-level domain .test, which never resolves publicly; use a domain you own.',
        ],
        [
            "a .localhost domain",
            { domainName: "api.localhost" },
            '`payments-dr:domainName` is "api.localhost": uses the reserved top-level domain .localhost, which never resolves publicly; use a domain you own.',
        ],
        [
            "a retention CloudWatch does not offer",
            { logRetentionDays: "10" },
            '`payments-dr:logRetentionDays` is "10": must be one of CloudWatch Logs\' retention periods: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.',
        ],
        [
            "a health-check interval of 20",
            { healthCheckIntervalSeconds: "20" },
            '`payments-dr:healthCheckIntervalSeconds` is "20": must be 10 or 30 (Route 53\'s only intervals).',
        ],
        [
            "a failure threshold of 11",
            { healthCheckFailureThreshold: "11" },
            '`payments-dr:healthCheckFailureThreshold` is "11": must be an integer from 1 to 10 (Route 53\'s failure threshold range).',
        ],
        [
            "a failure threshold of 0",
            { healthCheckFailureThreshold: "0" },
            '`payments-dr:healthCheckFailureThreshold` is "0": must be an integer from 1 to 10 (Route 53\'s failure threshold range).',
        ],
        [
            "reserved concurrency leaving fewer than 100 unreserved",
            { reservedConcurrency: "950" },
            '`payments-dr:reservedConcurrency` is "950": must be an integer from 1 to 895: Lambda keeps 100 of the account\'s 1000 (`accountConcurrencyLimit`) unreserved and the health function reserves 5; leave it unset to use the shared pool.',
        ],
        [
            "reserved concurrency against a small account limit",
            { accountConcurrencyLimit: "150", reservedConcurrency: "100" },
            '`payments-dr:reservedConcurrency` is "100": must be an integer from 1 to 45: Lambda keeps 100 of the account\'s 150 (`accountConcurrencyLimit`) unreserved and the health function reserves 5; leave it unset to use the shared pool.',
        ],
        [
            "a payment-path RTO target that is not a whole number of minutes",
            { paymentRtoTargetMinutes: "4.5" },
            '`payments-dr:paymentRtoTargetMinutes` is "4.5": must be an integer from 1 to 1440.',
        ],
        [
            "a PENDING-receipt alarm age of 0 minutes",
            { pendingReceiptAlarmMinutes: "0" },
            '`payments-dr:pendingReceiptAlarmMinutes` is "0": must be an integer from 1 to 1440.',
        ],
        [
            "more warm standby environments than the account's pool can give",
            { standbyProvisionedConcurrency: "900" },
            '`payments-dr:standbyProvisionedConcurrency` is "900": must be an integer from 0 to 895: the warm environments come out of the account\'s pool less what stays unreserved (895).',
        ],
        [
            "more warm standby environments than the reservation",
            { reservedConcurrency: "300", standbyProvisionedConcurrency: "301" },
            '`payments-dr:standbyProvisionedConcurrency` is "301": must be an integer from 0 to 300: the warm environments come out of `reservedConcurrency` (300).',
        ],
        ["memory below 512 MB", { lambdaMemoryMb: "256" }, '`payments-dr:lambdaMemoryMb` is "256": must be an integer from 512 to 10240 (MB).'],
        ["memory above Lambda's limit", { lambdaMemoryMb: "10241" }, '`payments-dr:lambdaMemoryMb` is "10241": must be an integer from 512 to 10240 (MB).'],
        [
            "a timeout above the HTTP API's limit",
            { lambdaTimeoutSeconds: "31" },
            '`payments-dr:lambdaTimeoutSeconds` is "31": must be an integer from 1 to 30 (seconds): the HTTP API stops waiting for the function after 30 s.',
        ],
        [
            "a name suffix S3 would refuse",
            { nameSuffix: "Alice_Dev" },
            '`payments-dr:nameSuffix` is "Alice_Dev": must be 1-12 lower-case letters, digits or hyphens, starting and ending with a letter or digit (it becomes part of S3 bucket, IAM role and Lambda names).',
        ],
        [
            "an unknown failover record type",
            { domainMode: "custom-domain", failoverRecordType: "txt" },
            '`payments-dr:failoverRecordType` is "txt": must be one of alias, cname.',
        ],
        [
            "a failover record type in dns-only mode",
            { domainMode: "dns-only", failoverRecordType: "cname" },
            '`payments-dr:failoverRecordType` is "cname": applies to custom-domain mode only (in dns-only mode the failover records are always CNAMEs to the execute-api hosts); remove it with `pulumi config rm failoverRecordType`.',
        ],
        [
            "a TTL above 60 s",
            { failoverRecordTtlSeconds: "300" },
            '`payments-dr:failoverRecordTtlSeconds` is "300": must be an integer from 1 to 60 (seconds): a longer TTL keeps clients on a dead region after failover.',
        ],
        [
            "disabling execute-api before the zone is delegated",
            { disableExecuteApiEndpoint: "true" },
            '`payments-dr:disableExecuteApiEndpoint` is "true": requires a delegated zone (`payments-dr:zoneDelegated` true or `payments-dr:hostedZoneId`): until the custom domains exist, the execute-api endpoint is the only way in.',
        ],
        ["a non-boolean switch", { reverseReplication: "yes" }, '`payments-dr:reverseReplication` is "yes": must be true or false.'],
        ["a non-boolean regionSwitchPlan", { regionSwitchPlan: "on" }, '`payments-dr:regionSwitchPlan` is "on": must be true or false.'],
        ["a bad e-mail", { alarmEmail: "oncall" }, '`payments-dr:alarmEmail` is "oncall": must be an e-mail address such as oncall@acme-corp.io.'],
        [
            "the retired failoverDrill, with what replaced it",
            { failoverDrill: "false" },
            '`payments-dr:failoverDrill` is "false": retired: rehearse failover with the real switch, `npm run failover -- --stack <stack> --to secondary`, and end the drill with `npm run failback -- --stack <stack>` (README, Failover runbook); remove the key with `pulumi config rm failoverDrill`.',
        ],
        [
            "a typo in a key",
            { logRetentionDay: "7" },
            '`payments-dr:logRetentionDay` is "7": unknown key; did you mean `logRetentionDays`? Run `pulumi config rm logRetentionDay` and `pulumi config set logRetentionDays <value>`.',
        ],
        ["a key nothing resembles", { colour: "blue" }, '`payments-dr:colour` is "blue": unknown key; allowed keys are environment, nameSuffix,'],
        [
            "prod without deletion protection",
            { environment: "prod", deletionProtection: "false", targetTps: "100" },
            '`payments-dr:deletionProtection` is "false": must be true in prod: the table holds the system of record.',
        ],
        [
            "prod in dns-only mode",
            { environment: "prod", domainMode: "dns-only", targetTps: "100" },
            '`payments-dr:domainMode` is "dns-only": prod must use custom-domain: in dns-only mode HTTPS clients cannot call the failover name.',
        ],
    ];
    for (const [what, overrides, message] of cases) {
        it(`refuses ${what}, naming key, value and rule`, () => {
            const problems = problemsOf(overrides);
            expect(
                problems.some((p) => p.startsWith(message)),
                `got:\n${problems.join("\n")}`,
            ).to.equal(true);
        });
    }

    it("refuses missing required keys with how to set them", () => {
        const problems = problemsOf({ environment: undefined, domainName: undefined, owner: undefined });
        expect(problems).to.include("`payments-dr:environment` is missing: set it to one of dev, staging, prod; run `pulumi config set environment dev`.");
        expect(problems).to.include(
            "`payments-dr:domainName` is missing: set the DNS domain that holds the failover record (a domain you own); run `pulumi config set domainName payments.acme-corp.io`.",
        );
        expect(problems).to.include(
            "`payments-dr:owner` is missing: it becomes the owner cost-allocation tag; run `pulumi config set owner payments-platform`.",
        );
    });

    it("reports every problem at once", () => {
        const problems = problemsOf({ primaryRegion: "mars-1", logRetentionDays: "8", healthCheckIntervalSeconds: "5", lambdaMemoryMb: "128" });
        expect(problems).to.have.length(4);
        expect(() => parseStackSettings({ ...VALID, logRetentionDays: "8", lambdaMemoryMb: "128" })).to.throw(
            ConfigValidationError,
            /Invalid stack configuration \(2 problems\):\n {2}- `payments-dr:logRetentionDays`/,
        );
    });

    it("refuses a throughput target the configured capacity cannot carry", () => {
        const problems = problemsOf({ targetTps: "10000", expectedDurationMs: "200", accountConcurrencyLimit: "1000" });
        expect(problems).to.include(
            "`payments-dr:targetTps` is 10000: at `expectedDurationMs` 200 it needs 2000 concurrent Lambda executions, " +
                "but `payments-dr:accountConcurrencyLimit` is 1000; raise it (and the account quota) or lower the target.",
        );
        expect(problemsOf({ targetTps: "12000", accountConcurrencyLimit: "5000" })).to.include(
            "`payments-dr:targetTps` is 12000, above `payments-dr:apiAccountRateLimit` 10000: API Gateway throttles the " +
                "account's requests per region at that rate; request a quota increase and set the new value.",
        );
        expect(problemsOf({ targetTps: "10000", tableWarmWriteUnits: "10000", consistency: "strong" })).to.include(
            "`payments-dr:tableWarmWriteUnits` is 10000: `targetTps` 10000 × 2 writes per transaction needs at least " +
                "20000 write units per second (in the home table and again in the replica).",
        );
        // eventual consistency writes each Region's version of a transaction too
        expect(problemsOf({ targetTps: "10000", tableWarmWriteUnits: "20000" })).to.include(
            "`payments-dr:tableWarmWriteUnits` is 20000: `targetTps` 10000 × 3 writes per transaction needs at least " +
                "30000 write units per second (in the home table and again in the replica).",
        );
    });

    describe("the committed stack files", () => {
        const stacks: Record<string, StackSettings> = {};
        before(() => {
            for (const stack of ["dev", "prod"]) {
                stacks[stack] = parseStackSettings(unprefixed(stack), "payments-dr", stack);
            }
        });

        it("are valid", () => {
            expect(stacks.dev.environment).to.equal("dev");
            expect(stacks.prod.environment).to.equal("prod");
        });

        it("differ where prod must protect data and recover faster", () => {
            const { dev, prod } = stacks;
            expect(prod.logRetentionDays).to.be.greaterThan(dev.logRetentionDays);
            expect([dev.deletionProtection, prod.deletionProtection]).to.deep.equal([false, true]);
            expect([dev.replicationTimeControl, prod.replicationTimeControl]).to.deep.equal([false, true]);
            expect([dev.kmsDeletionWindowDays, prod.kmsDeletionWindowDays]).to.deep.equal([7, 30]);
            expect(dev.alarmEmail).to.equal(undefined);
            // Personal data: set with `pulumi config set --secret`, never committed (tests/secrets.test.ts).
            expect(prod.alarmEmail).to.equal(undefined);
            expect(prod.reservedConcurrency).to.be.a("number");
            expect(prod.targetTps).to.equal(10_000);
            expect(prod.healthCheckIntervalSeconds).to.equal(10);
            expect([dev.domainMode, prod.domainMode]).to.deep.equal(["dns-only", "custom-domain"]);
        });
    });
});
