import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as semver from "semver";
import { ESBUILD_TARGET, LAMBDA_RUNTIME } from "../components/shared/function-bundle";

const ROOT = path.join(__dirname, "..");
const lambdaMajor = Number(/^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME)?.[1]);

describe("toolchain: tests run on the Lambda's Node", () => {
    it("this process runs the Lambda runtime's Node major (the `node` dev dependency is first on PATH)", () => {
        expect(lambdaMajor).to.equal(24);
        expect(Number(process.versions.node.split(".")[0])).to.equal(lambdaMajor);
    });

    it("the pinned `node` package, @types/node, .nvmrc and the bundle target name the same major", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        expect(pkg.devDependencies.node.split(".")[0]).to.equal(String(lambdaMajor));
        expect(pkg.devDependencies["@types/node"].split(".")[0]).to.equal(String(lambdaMajor));
        expect(fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim()).to.equal(String(lambdaMajor));
        expect(ESBUILD_TARGET).to.equal(`node${lambdaMajor}`);
    });
});

describe("toolchain: the host Node that `npm ci` and `pulumi up` run on", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
    const hostRange: string = pkg.engines.node;

    /** Every package `npm ci` installs on every platform (optional per-platform packages aside) with its Node range. */
    const installed = Object.entries(lock.packages as Record<string, { engines?: { node?: string }; optional?: boolean }>)
        .filter(([key, entry]) => key !== "" && !entry.optional && entry.engines?.node)
        .map(([key, entry]) => ({ name: key.replace(/^.*node_modules\//, ""), range: entry.engines!.node! }));

    it("`engines.node` admits only Node versions every locked package supports: npm ci there prints no EBADENGINE", () => {
        expect(installed.length).to.be.greaterThan(100);
        const refused = installed.filter(({ range }) => !semver.subset(hostRange, range, { includePrerelease: false }));
        expect(refused, `packages whose engines do not cover ${hostRange}`).to.deep.equal([]);
    });

    it("`engines.node` is the widest such range: it admits the Lambda's major and nothing narrower would do", () => {
        expect(semver.satisfies(`${lambdaMajor}.0.0`, hostRange)).to.equal(true);
        // The tightest lower bounds in the lockfile: @pulumi/pulumi needs 22, ESLint 10 needs ^22.13 on 22.
        expect(semver.satisfies("22.13.0", hostRange)).to.equal(true);
        expect(semver.satisfies("22.12.0", hostRange)).to.equal(false);
        expect(semver.satisfies("20.20.2", hostRange)).to.equal(false);
        const pulumi = installed.find(({ name }) => name === "@pulumi/pulumi");
        expect(semver.satisfies("20.20.2", pulumi!.range), "Node 20 warns because @pulumi/pulumi requires >=22").to.equal(false);
    });
});
