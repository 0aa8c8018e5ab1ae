// Loads the policy pack in the current folder the way the Pulumi CLI does: @pulumi/pulumi's run-policy-pack
// (ts-node with type checking and the pack's tsconfig, then `require` of the folder's `main`), taken from the
// pack's own node_modules. PolicyPack construction is replaced by a recorder: a real PolicyPack starts a gRPC
// server that never exits. Prints one JSON document: the packs constructed and every module file loaded.
"use strict";
const Module = require("module");
const path = require("path");

const packDir = process.cwd();
const fromPack = Module.createRequire(path.join(packDir, "package.json"));
const packs = [];

class RecordingPolicyPack {
    constructor(name, args) {
        packs.push({
            name,
            policies: args.policies.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel, kind: p.validateStack ? "stack" : "resource" })),
        });
    }
}
const stubbedPolicy = { ...fromPack("@pulumi/policy"), PolicyPack: RecordingPolicyPack };
const load = Module._load;
Module._load = function (request, ...rest) {
    return request === "@pulumi/policy" ? stubbedPolicy : load.call(this, request, ...rest);
};

const errors = [];
const { run } = fromPack("@pulumi/pulumi/cmd/run-policy-pack/run");
Promise.resolve(run({ argv: { _: ["."] }, typeScript: true, programStarted: () => {}, reportLoggedError: (err) => errors.push(String(err)) })).then(
    () => {
        process.stdout.write(JSON.stringify({ packs, errors, loaded: Object.keys(require.cache) }));
        process.exit(0);
    },
    (err) => {
        process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
        process.exit(1);
    },
);
