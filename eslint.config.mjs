// ESLint flat config: typescript-eslint's recommended rules plus Pulumi's checks for an Output in a template
// literal (type-aware, so the parser gets the TypeScript project). Layout is Prettier's job, not ESLint's.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

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
);
