import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildBundle, bundleFunction } from "../components/shared/function-bundle";

describe("transaction-processor bundle", () => {
    it("is deterministic: two builds of the same source give the same bytes (no spurious preview diff)", () => {
        const first = buildBundle("transaction-processor");
        const second = buildBundle("transaction-processor");
        expect(second.sha256).to.equal(first.sha256);
        expect(bundleFunction("transaction-processor").sha256).to.equal(first.sha256);
    });

    it("is self-contained, small, free of local paths, and exports handler", () => {
        const bundle = bundleFunction("transaction-processor");
        expect(bundle.bytes).to.be.below(1024 * 1024);
        expect(bundle.code).to.not.include(path.join(__dirname, ".."));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-"));
        try {
            const file = path.join(dir, "index.js");
            fs.writeFileSync(file, bundle.code);
            const mod = require(file);
            expect(mod.handler).to.be.a("function");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
