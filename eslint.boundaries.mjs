// Which folder may import which (issue 22), checked on resolved paths by import-x/no-restricted-paths.
// `target` files may not import anything under `from`. Paths are relative to the repository root.

/** Product code: what a deployment runs or ships. */
const PRODUCT = ["./index.ts", "./components", "./functions", "./contracts", "./program", "./provider", "./examples", "./clients"];
/**
 * Scripts are product code too, except the test runner (scripts/run-tests.ts, scripts/test/) and the benchmarks
 * (scripts/bench-*.ts), which drive the handler against the tests' local servers.
 */
const PRODUCT_SCRIPTS = ["./scripts/!(run-tests|bench-*).ts", "./scripts/!(test)/**"];
/** The offline preview runs the policy pack: scripts/preview/ may import policy/. */
const POLICY_USERS_SCRIPTS = ["./scripts/!(run-tests|bench-*).ts", "./scripts/!(test|preview)/**"];

export const BOUNDARY_ZONES = [
    {
        target: [...PRODUCT, ...PRODUCT_SCRIPTS],
        from: "./tests",
        message: "product code never imports tests/: move what both need into the product",
    },
    {
        target: [...PRODUCT, ...POLICY_USERS_SCRIPTS],
        from: "./policy",
        message: "product code never imports policy/: the pack checks the program from outside (shared facts are copied, tests/policy/aws-facts.test.ts)",
    },
    {
        // The library's entry (components/index.ts) may re-export the program's config parsing for other programs.
        target: ["./components/*/**"],
        from: "./program",
        message: "library components never import the program's assembly (program/): take what they need as args",
    },
    {
        target: ["./components/regional", "./components/global", "./components/shared", "./contracts"],
        from: ["./components/resilience", "./components/ledger", "./components/safety-net"],
        message: "core components never import optional parts: an optional part attaches from outside (narrow args, outputs)",
    },
    {
        target: ["./components/shared"],
        from: ["./components/regional", "./components/global", "./components/takeover", "./components/ledger", "./components/resilience", "./components/safety-net"],
        message: "shared building blocks import no domain folder",
    },
    {
        target: ["./components", "./program"],
        from: "./functions",
        message: "components never import Lambda code: what both need lives in contracts/",
    },
    {
        target: ["./functions"],
        from: ["./index.ts", "./components", "./program"],
        message: "Lambda code imports only contracts/ (and its own folder): what it shares with the components lives there",
    },
    {
        target: ["./policy"],
        from: ["./index.ts", "./components", "./functions", "./contracts", "./program", "./scripts", "./tests", "./examples", "./clients"],
        message: "policy/ is published alone (`pulumi policy publish`): it imports nothing outside policy/",
    },
];

/** Packages Lambda code and the contracts must not import. */
export const FUNCTION_FORBIDDEN_PACKAGES = ["@pulumi/*"];
