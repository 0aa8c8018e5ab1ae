import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ESBUILD_TARGET, LAMBDA_RUNTIME } from "../components/function-bundle";

const ROOT = path.join(__dirname, "..");
const lambdaMajor = Number(/^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME)?.[1]);

describe("toolchain: tests run on the Lambda's Node", () => {
    it("this process runs the Lambda runtime's Node major (the `node` dev dependency is first on PATH)", () => {
        expect(lambdaMajor).to.equal(24);
        expect(Number(process.versions.node.split(".")[0])).to.equal(lambdaMajor);
    });

    it("the pinned `node` package, engines, .nvmrc and the bundle target name the same major", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        expect(pkg.devDependencies.node.split(".")[0]).to.equal(String(lambdaMajor));
        expect(pkg.devDependencies["@types/node"].split(".")[0]).to.equal(String(lambdaMajor));
        expect(pkg.engines.node).to.equal(`>=${lambdaMajor} <${lambdaMajor + 1}`);
        expect(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim()).to.equal(String(lambdaMajor));
        expect(ESBUILD_TARGET).to.equal(`node${lambdaMajor}`);
    });
});
