import { expect } from "chai";
import { resolveSettings } from "../../clients/typescript/src/options";
import { RegionRouter } from "../../clients/typescript/src/region-router";

/** The client's region choice on a fake clock: when it leaves a region, when it forgives one, when it goes back. */

function setup(probeAnswer = true) {
    const clock = { now: 10_000 };
    const probes: string[] = [];
    const settings = resolveSettings({
        endpoints: { primary: "https://p.test", secondary: "https://s.test" },
        auth: { type: "jwt", token: async () => "t" },
        regionFailoverAfterMs: 1_000,
        probeBackAfterMs: 500,
        fencedHoldMs: 2_000,
    });
    const router = new RegionRouter(
        settings,
        async (endpoint) => {
            probes.push(endpoint.name);
            return probeAnswer;
        },
        () => clock.now,
    );
    const [primary, secondary] = settings.endpoints;
    return { clock, probes, router, primary, secondary };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("RegionRouter (clients/typescript/src/region-router.ts)", () => {
    it("retries a region whose connections fail until regionFailoverAfterMs after the first failed attempt began, then leaves it", () => {
        const { clock, router, primary } = setup();
        expect(router.networkFailure(primary, clock.now - 100)).to.equal(900);
        clock.now += 500;
        expect(router.boundLeftMs(primary)).to.equal(400);
        expect(router.networkFailure(primary, clock.now)).to.equal(400);
        expect(router.current().name).to.equal("primary");
        clock.now += 400;
        expect(router.networkFailure(primary, clock.now)).to.equal(0);
        expect(router.current().name).to.equal("secondary");
    });

    it("forgets an old failure: a region quiet for longer than the bound starts with a whole budget", () => {
        const { clock, router, primary } = setup();
        router.networkFailure(primary, clock.now);
        clock.now += 1_000 + 3_000 + 5_000; // the bound, one attempt's timeout, the longest backoff
        expect(router.boundLeftMs(primary)).to.equal(-8_000);
        clock.now += 1;
        expect(router.boundLeftMs(primary)).to.equal(undefined);
        expect(router.networkFailure(primary, clock.now)).to.equal(1_000);
    });

    it("any answer clears the failures", () => {
        const { clock, router, primary } = setup();
        router.networkFailure(primary, clock.now);
        router.answered(primary);
        expect(router.boundLeftMs(primary)).to.equal(undefined);
    });

    it("never goes back to a primary fenced within fencedHoldMs, neither by probing nor when the secondary fails", async () => {
        const { clock, probes, router, primary, secondary } = setup();
        router.fenced(primary);
        expect(router.current().name).to.equal("secondary");
        clock.now += 1_000;
        router.leave(secondary);
        expect(router.current().name).to.equal("secondary");
        await settle();
        expect(probes).to.deep.equal([]);
        // after the hold, the next call starts a probe in the background and the one after goes to the primary
        clock.now += 1_001;
        expect(router.current().name).to.equal("secondary");
        await settle();
        expect(probes).to.deep.equal(["primary"]);
        expect(router.current().name).to.equal("primary");
    });

    it("probes a primary it left for connection failures every probeBackAfterMs, and stays away while the probe says unhealthy", async () => {
        const { clock, probes, router, primary } = setup(false);
        router.leave(primary);
        clock.now += 499;
        router.current();
        await settle();
        expect(probes).to.deep.equal([]);
        clock.now += 1;
        expect(router.current().name).to.equal("secondary");
        await settle();
        expect(router.current().name).to.equal("secondary");
        clock.now += 499;
        router.current();
        await settle();
        expect(probes).to.deep.equal(["primary"]);
        clock.now += 1;
        router.current();
        await settle();
        expect(probes).to.deep.equal(["primary", "primary"]);
    });
});
