import { promises as dns } from "dns";
import type { DrOutputs } from "./outputs";

/** Which region the failover name leads a client to right now, seen from this machine (plain DNS and HTTPS). */
export type Answer = "primary" | "secondary" | "unknown";

export interface AnswerProbe {
    /** CNAME target of a name (dns-only mode), lower-case, no trailing dot. */
    readonly resolveCname: (name: string) => Promise<string[]>;
    /** JSON body of `GET https://<name>/health` (custom-domain mode). */
    readonly fetchHealth: (url: string) => Promise<unknown>;
}

/** Bounded like the AWS calls: 2 s per query, 2 tries per server (the resolver's default is a longer back-off). */
const resolver = new dns.Resolver({ timeout: 2_000, tries: 2 });

export const defaultAnswerProbe: AnswerProbe = {
    resolveCname: (name) => resolver.resolveCname(name),
    fetchHealth: async (url) => {
        const response = await fetch(url, { signal: AbortSignal.timeout(5_000), headers: { accept: "application/json" } });
        return response.json();
    },
};

const hostOf = (endpoint: string) =>
    endpoint
        .replace(/^https:\/\//, "")
        .replace(/\/.*$/, "")
        .toLowerCase();

/**
 * dns-only: the failover CNAME's target against each region's execute-api host. custom-domain: the `role`
 * that `/health` reports through the failover name (the answer a client really gets, certificate included).
 * Never throws: a failed probe is `unknown`.
 */
export async function whoAnswers(outputs: DrOutputs, probe: AnswerProbe): Promise<{ answer: Answer; how: string }> {
    try {
        if (outputs.domainMode === "dns-only") {
            const [target] = (await probe.resolveCname(outputs.failoverDnsName)).map((t) => t.toLowerCase().replace(/\.$/, ""));
            const answer: Answer =
                target === hostOf(outputs.primaryApiEndpoint) ? "primary" : target === hostOf(outputs.secondaryApiEndpoint) ? "secondary" : "unknown";
            return { answer, how: `${outputs.failoverDnsName} CNAME ${target ?? "(none)"}` };
        }
        // `/health` is open, so it names no region: the stack's outputs say where each role runs.
        const body = (await probe.fetchHealth(`https://${outputs.failoverDnsName}/health`)) as { role?: unknown };
        const answer: Answer = body?.role === "primary" || body?.role === "secondary" ? body.role : "unknown";
        const region = answer === "unknown" ? "" : ` (${answer === "primary" ? outputs.primaryRegion : outputs.secondaryRegion})`;
        return { answer, how: `GET https://${outputs.failoverDnsName}/health answered role ${String(body?.role)}${region}` };
    } catch (error) {
        return { answer: "unknown", how: `probe failed: ${error instanceof Error ? error.message : String(error)}` };
    }
}

/** Polls until the failover name leads to `wanted`, or the time is up. */
export async function waitForAnswer(
    outputs: DrOutputs,
    wanted: Exclude<Answer, "unknown">,
    timeoutMs: number,
    deps: { probe: AnswerProbe; now: () => number; sleep: (ms: number) => Promise<void> },
): Promise<{ reached: boolean; how: string }> {
    const deadline = deps.now() + timeoutMs;
    for (;;) {
        const { answer, how } = await whoAnswers(outputs, deps.probe);
        if (answer === wanted) {
            return { reached: true, how };
        }
        if (deps.now() >= deadline) {
            return { reached: false, how };
        }
        await deps.sleep(10_000);
    }
}
