import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as library from "../components";
import { globalLayerArgProblems, GlobalLayerArgs } from "../components/global/global-layer-args";
import { providerRegionProblem } from "../components/shared/provider-region";
import { RegionalStack } from "../components/regional/regional-stack";
import { regionalStackArgProblems, RegionalStackArgs } from "../components/regional/regional-stack-args";
import { synthesize } from "../scripts/synth/synthesize";
import { COMPONENT_REFERENCE } from "../scripts/component-reference";
import { withSection } from "../scripts/docs/generated-section";
import { plain, stack } from "./support/stacks";

const ROOT = path.join(__dirname, "..");
const EXAMPLE = path.join(ROOT, "examples", "minimal", "index.ts");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("components as a library", () => {
    it("exports RegionalStack, GlobalLayer and RegionalDomain (and what their args need) from components/index.ts", () => {
        for (const name of ["RegionalStack", "GlobalLayer", "RegionalDomain", "parseStackSettings", "names"] as const) {
            expect(library[name], name).to.not.equal(undefined);
        }
        expect(library.REGION_ROLES).to.deep.equal(["primary", "secondary"]);
    });

    it("package.json exports the compiled components (dist/lib), Pulumi.yaml names the program", () => {
        const pkg = JSON.parse(read("package.json"));
        // Pulumi runs package.json's `main` when Pulumi.yaml names none: this program must be named there, since
        // `main` is the library's entry (tests/npm-package.test.ts installs the package and imports it by name).
        expect(pkg.main).to.equal("./dist/lib/components/index.js");
        expect(pkg.exports["."]).to.deep.equal({ types: "./dist/lib/components/index.d.ts", default: "./dist/lib/components/index.js" });
        expect((yaml.load(read("Pulumi.yaml")) as { main?: string }).main).to.equal("index.ts");
    });

    it("refuses a provider of another region than the component's `region`", () => {
        expect(providerRegionProblem('RegionalStack "secondary"', "us-west-2", "us-west-2")).to.equal(undefined);
        expect(providerRegionProblem('RegionalStack "secondary"', "us-west-2", "us-east-1")).to.equal(
            'RegionalStack "secondary": `region` is us-west-2 but its aws provider deploys to us-east-1; pass the provider of us-west-2',
        );
        expect(providerRegionProblem('RegionalDomain "d"', "us-west-2", undefined)).to.match(/sets no region/);
    });

    describe("narrow args: each component takes what it needs, never the program's whole settings", () => {
        const regional: RegionalStackArgs = {
            role: "secondary",
            region: "us-west-2",
            environment: "dev",
            envLabel: "dev",
            nameSuffix: "abc123",
            tableName: "payments-dr-dev-transactions-abc123",
            apiAuth: { mode: "iam" },
            processorSecurity: { transactionIdKey: Buffer.alloc(32, 1).toString("base64") },
            consistencyMode: "eventual",
            throttle: { rateLimit: 100, burstLimit: 200 },
        };
        const fakeStack = (role: "primary" | "secondary", region: string) => ({ role, region }) as unknown as RegionalStack;
        const global = (over: Partial<GlobalLayerArgs>): GlobalLayerArgs => ({
            environment: "prod",
            envLabel: "prod",
            nameSuffix: "abc123",
            tableName: "t",
            stacks: { primary: fakeStack("primary", "us-east-1"), secondary: fakeStack("secondary", "us-west-2") },
            providers: {} as GlobalLayerArgs["providers"],
            consistency: { mode: "strong", witnessRegion: "us-east-2" },
            domainName: "payments.acme-corp.io",
            ...over,
        });

        it("no component file reads the stack settings; the program maps them in program/stack-args.ts", () => {
            // Importing program/ is an ESLint boundary (tests/import-boundaries.test.ts); this also catches a settings
            // object passed whole under another name. Two safety-net parts take narrow settings of their own; the backup
            // check reads AWS Backup's region settings (its code is serialized into the stack: renaming changes it).
            const narrowSettings = [
                "components/safety-net/failover-events.ts",
                "components/safety-net/region-parameters.ts",
                "components/safety-net/backup-region-settings.ts",
            ];
            const files = fs
                .readdirSync(path.join(ROOT, "components"), { recursive: true, encoding: "utf8" })
                .filter((f) => f.endsWith(".ts") && f.includes(path.sep))
                .map((f) => `components/${f.split(path.sep).join("/")}`);
            expect(files).to.include.members(["components/regional/regional-stack.ts", "components/global/global-layer.ts", ...narrowSettings]);
            expect(files.length).to.be.greaterThan(80);
            for (const file of files) {
                const source = read(file);
                expect(source, file).to.not.match(/StackSettings|secretSetting|loadStackSettings|parseStackSettings/);
                if (!narrowSettings.includes(file)) expect(source, file).to.not.match(/\bsettings\.\w/);
            }
            expect(read("index.ts")).to.contain("regionalStackArgs(settings, role");
            expect(read("index.ts")).to.contain("globalLayerArgs(settings, {");
        });

        it("every component's type token names its folder (payments-dr:<folder>:<Component>), and a moved one aliases its shipped token", () => {
            const files = fs
                .readdirSync(path.join(ROOT, "components"), { recursive: true, encoding: "utf8" })
                .filter((f) => f.endsWith(".ts") && f.includes(path.sep));
            const tokens = files.flatMap((f) =>
                [
                    ...read(`components/${f.split(path.sep).join("/")}`).matchAll(
                        /super\(\s*"payments-dr:([\w-]+):(\w+)",[^;]*?(aliases: \[\{ type: "([^"]+)" \}[^;]*)?\);/gs,
                    ),
                ].map((m) => ({
                    folder: f.split(path.sep)[0],
                    module: m[1],
                    component: m[2],
                    shippedAs: m[4],
                })),
            );
            expect(tokens.map((t) => t.component)).to.include.members([
                "RegionalStack",
                "GlobalLayer",
                "RegionalDomain",
                "TakeoverAuthority",
                "AuditTrail",
                "Ledger",
            ]);
            for (const t of tokens) {
                expect(t.module, `${t.component} in components/${t.folder}/`).to.equal(t.folder);
            }
            // What issue 22 moved keeps its shipped token as an alias (the ledger's tokens did not change).
            const shipped = Object.fromEntries(tokens.filter((t) => t.shippedAs).map((t) => [t.component, t.shippedAs]));
            expect(shipped).to.deep.equal({
                RegionalStack: "payments-dr:index:RegionalStack",
                RegionalDomain: "payments-dr:index:RegionalDomain",
                GlobalLayer: "payments-dr:index:GlobalLayer",
                TakeoverAuthority: "payments-dr:index:TakeoverAuthority",
                AuditTrail: "payments-dr:index:AuditTrail",
                BackupProtection: "payments-dr:index:BackupProtection",
                FailoverEvents: "payments-dr:index:FailoverEvents",
                LogArchive: "payments-dr:index:LogArchive",
                RegionParameters: "payments-dr:index:RegionParameters",
                GameDays: "payments-dr:gamedays:GameDays",
                Canaries: "payments-dr:canaries:Canaries",
            });
        });

        it("minimal args are valid; each bad arg is named with its value and what is allowed", () => {
            expect(regionalStackArgProblems(regional)).to.deep.equal([]);
            expect(
                regionalStackArgProblems({
                    ...regional,
                    lambdaMemoryMb: 128,
                    lambdaTimeoutSeconds: 31,
                    logRetentionDays: 10,
                    kmsDeletionWindowDays: 3,
                    throttle: { rateLimit: 0, burstLimit: 1.5 },
                    fence: { tableName: "a", region: "us-west-2" },
                }),
            ).to.deep.equal([
                "`kmsDeletionWindowDays` is 3: must be an integer from 7 to 30 (days)",
                "`logRetentionDays` is 10: must be one of CloudWatch Logs' retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
                "`lambdaMemoryMb` is 128: must be an integer from 512 to 10240 (MB)",
                "`lambdaTimeoutSeconds` is 31: must be an integer from 1 to 30 (seconds)",
                "`throttle.rateLimit` is 0: must be an integer from 1 to 9007199254740991 (requests per second)",
                "`throttle.burstLimit` is 1.5: must be an integer from 1 to 9007199254740991 (requests)",
                "`fence.region` is us-west-2: the takeover authority lives in the other region",
            ]);
            expect(globalLayerArgProblems(global({}))).to.deep.equal([]);
            expect(
                globalLayerArgProblems(
                    global({
                        healthCheckIntervalSeconds: 15,
                        failoverRecordTtlSeconds: 300,
                        deletionProtection: false,
                        consistency: { mode: "strong", witnessRegion: "us-west-2" },
                    }),
                ),
            ).to.deep.equal([
                "`healthCheckIntervalSeconds` is 15: must be 10 or 30 (Route 53's only intervals)",
                "`failoverRecordTtlSeconds` is 300: must be an integer from 1 to 60 (seconds)",
                "`consistency.witnessRegion` is us-west-2: the witness must be a third region, not us-east-1 or us-west-2",
                "`deletionProtection` is false while `protectData` is on: the table holds the system of record",
            ]);
            const swapped = { primary: fakeStack("secondary", "us-west-2"), secondary: fakeStack("secondary", "us-west-2") };
            expect(globalLayerArgProblems(global({ stacks: swapped, environment: "dev" }))).to.deep.equal([
                "`stacks`: the primary entry must be the primary RegionalStack and the secondary entry the secondary one",
                "`stacks`: both regional stacks are in us-west-2; they must be two regions",
            ]);
        });

        it("a component with bad args stops the program (one RunError listing every problem) before registering anything", () => {
            let thrown: unknown;
            try {
                new RegionalStack("secondary", { ...regional, lambdaMemoryMb: 64, pendingReceiptAlarmMinutes: 0 });
            } catch (error) {
                thrown = error;
            }
            expect(thrown).to.be.instanceOf(Error);
            expect((thrown as Error).constructor.name).to.equal("RunError");
            expect((thrown as Error).message).to.equal(
                'RegionalStack "secondary": invalid args (2):\n' +
                    "  - `lambdaMemoryMb` is 64: must be an integer from 512 to 10240 (MB)\n" +
                    "  - `pendingReceiptAlarmMinutes` is 0: must be an integer from 1 to 1440 (minutes)",
            );
        });
    });

    it("the example program (under 60 lines, its own project and config) synthesizes both regions and the global layer", async () => {
        expect(read("examples/minimal/index.ts").split("\n").length).to.be.lessThan(60);
        await stack("dev");
        await stack("prod"); // the mocked runtime is global: let the cached syntheses finish first
        const config = {
            "dr-example:domainName": "payments.example-corp.net",
            "dr-example:jwtIssuer": "https://auth.example-corp.net/",
            "dr-example:jwtAudience": "payments-api",
        };
        const s = await synthesize("dev", config, "dr-example", { program: EXAMPLE });
        const ofType = (type: string) => s.resources.filter((r) => r.type === type);
        expect(ofType("payments-dr:regional:RegionalStack").map((r) => r.name)).to.deep.equal(["primary", "secondary"]);
        expect(ofType("payments-dr:global:GlobalLayer")).to.have.length(1);
        expect(
            ofType("aws:lambda/function:Function")
                .map((r) => r.region)
                .sort(),
        ).to.include.members(["us-east-1", "us-west-2"]);
        expect(ofType("aws:dynamodb/table:Table").map((t) => t.region)).to.deep.equal(["us-east-1"]);
        expect((ofType("aws:dynamodb/table:Table")[0].inputs.replicas as { regionName: string }[]).map((r) => r.regionName)).to.deep.equal(["us-west-2"]);
        expect(s.outputs.failoverName).to.equal("api-dns-only.payments.example-corp.net");
        // Its own auth config reaches every transaction route: a JWT authorizer from its issuer, none on /health.
        expect(ofType("aws:apigatewayv2/authorizer:Authorizer").map((a) => (a.inputs.jwtConfiguration as { issuer: string }).issuer)).to.deep.equal([
            "https://auth.example-corp.net/",
            "https://auth.example-corp.net/",
        ]);
        // The open GET /health and Route 53's probe route GET /health/<token> (a secret) in each region.
        const routes = ofType("aws:apigatewayv2/route:Route").map((r) => [plain<string>(r.inputs.routeKey), r.inputs.authorizationType]);
        const health = (key: string) => key === "GET /health" || /^GET \/health\/[a-z0-9]{32}$/.test(key);
        expect(routes.filter(([key]) => health(key)).map(([, type]) => type)).to.deep.equal(["NONE", "NONE", "NONE", "NONE"]);
        expect(routes.filter(([key]) => !health(key)).every(([, type]) => type === "JWT")).to.equal(true);
        expect(s.outputs.apiEndpoints).to.have.keys(["primary", "secondary"]);
    });

    it("docs/components.md's component reference is generated from the source (npm run docs:components)", () => {
        const page = read(COMPONENT_REFERENCE.page);
        expect(page, "docs/components.md's component reference is stale: run `npm run docs:components`").to.equal(withSection(page, COMPONENT_REFERENCE));
    });
});
