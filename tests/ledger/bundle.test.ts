import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildBundle } from "../../components/shared/function-bundle";

for (const name of ["ledger-projector", "ledger-migrator"]) {
    describe(`${name} bundle`, () => {
        it("is deterministic, self-contained (pg and the AWS SDK inside), free of local paths, and loads without its environment", () => {
            const bundle = buildBundle(name);
            expect(buildBundle(name).sha256).to.equal(bundle.sha256);
            expect(bundle.bytes).to.be.below(1024 * 1024);
            expect(bundle.code).to.not.include(path.join(__dirname, "..", ".."));
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-"));
            try {
                const file = path.join(dir, "index.js");
                fs.writeFileSync(file, bundle.code);
                // Loaded outside the project: any dependency left out of the bundle would fail to resolve here.
                expect(require(file).handler).to.be.a("function");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
}
