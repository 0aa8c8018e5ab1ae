// ESLint flat config: typescript-eslint's recommended rules plus Pulumi's checks for an Output in a template
// literal (type-aware, so the parser gets the TypeScript project). Layout is Prettier's job, not ESLint's.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import { BOUNDARY_ZONES, FUNCTION_FORBIDDEN_PACKAGES } from "./eslint.boundaries.mjs";

export default tseslint.config(
    { ignores: ["node_modules/", "policy/node_modules/", "bin/", ".tmp/", "dist/", "**/*.js", "**/*.cjs", "**/*.mjs"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            // `${output}` renders "Calling [toString] on an [Output<T>] is not supported": a broken name or policy.
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            // A leading underscore marks a value left out on purpose (`{ Resource: _r, ...rest }`).
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
            ],
        },
    },
    {
        // Tests and the mocked runtime reach untyped Pulumi internals and load modules after stubbing them.
        files: ["tests/**/*.ts", "scripts/synth/**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        // Module boundaries, on resolved paths (eslint.boundaries.mjs says which and why); no import cycles.
        files: ["**/*.ts"],
        plugins: { "import-x": importX },
        settings: {
            // TypeScript sources are modules to follow (the default follows .js only): without this no-cycle sees no cycle.
            "import-x/extensions": [".ts", ".js"],
            "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
            "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".json"] })],
        },
        rules: {
            "import-x/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: BOUNDARY_ZONES }],
            "import-x/no-cycle": ["error", { ignoreExternal: true }],
        },
    },
    {
        // Lambda code and the contracts it shares: no Pulumi SDK (it would be bundled, and it runs only in a program).
        files: ["functions/**/*.ts", "contracts/**/*.ts"],
        rules: {
            "no-restricted-imports": ["error", { patterns: [{ group: FUNCTION_FORBIDDEN_PACKAGES, message: "Lambda code never imports Pulumi" }] }],
        },
    },
);
