// Which folder may import which (issue 22), checked on resolved paths by import-x/no-restricted-paths.
// `target` files may not import anything under `from`. Paths are relative to the repository root.

/** Product code: what a deployment runs or ships. */
const PRODUCT = ["./index.ts", "./components", "./functions", "./contracts", "./program", "./examples", "./clients"];
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
        target: ["./policy"],
        from: ["./index.ts", "./components", "./functions", "./contracts", "./program", "./scripts", "./tests", "./examples", "./clients"],
        message: "policy/ is published alone (`pulumi policy publish`): it imports nothing outside policy/",
    },
];

/** Packages Lambda code and the contracts must not import. */
export const FUNCTION_FORBIDDEN_PACKAGES = ["@pulumi/*"];
