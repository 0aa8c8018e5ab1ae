/**
 * The IAM conformance check (issue 20), as a mocha root hook: once every test has run, each AWS SDK command the
 * functions and DR scripts sent (recorder.ts) and every call Lambda makes with a function's role is evaluated
 * against the synthesized policies of dev, prod and a stack with every option on. One denied call fails the run,
 * naming the stack, the role, the action, the resource and the code that needed it.
 */
import { stack } from "../support/stacks";
import { everyOptionStack } from "../support/every-option";
import { describeVerdict, evaluate, unusedActions } from "./evaluate";
import { stackModel } from "./model";
import { recordedCommands } from "./recorder";
import { principalOf, SentCommand } from "./requests";

/** What the project's code sent, attributed to the role that runs it; commands of tests and tools are left out. */
export async function sentCommands(): Promise<SentCommand[]> {
    const byKey = new Map<string, SentCommand>();
    for (const call of recordedCommands()) {
        const principal = principalOf(call.site.stack);
        if (!principal) {
            continue;
        }
        const sent: SentCommand = {
            kind: principal.kind,
            clientRegion: await call.region(),
            clientName: call.clientName,
            commandName: call.commandName,
            input: call.input,
            site: principal.site,
        };
        byKey.set(iamKey(sent), byKey.get(iamKey(sent)) ?? sent);
    }
    return [...byKey.values()];
}

/** Commands that IAM cannot tell apart (same role, action, resource pattern and condition values) are evaluated once. */
function iamKey(sent: SentCommand): string {
    const { TableName, IndexName, Key, Item, Bucket, Namespace, SecretId, AlarmNames } = sent.input;
    const item = (Key ?? Item) as Record<string, unknown> | undefined;
    const pk = item?.pk as string | { S?: string } | undefined;
    const pkValue = typeof pk === "string" ? pk : pk?.S;
    // Conditions look at the health item's key (dynamodb:LeadingKeys) and at object key prefixes only.
    const leading = pkValue?.startsWith("HEALTH#") ? pkValue : undefined;
    const prefix = typeof Key === "string" ? Key.split("/")[0] : undefined;
    return JSON.stringify([
        sent.kind,
        sent.clientRegion,
        sent.clientName,
        sent.commandName,
        TableName,
        IndexName,
        leading,
        Bucket,
        prefix,
        Namespace,
        SecretId,
        AlarmNames,
    ]);
}

export const mochaHooks = {
    async afterAll(this: { timeout(ms: number): void }) {
        this.timeout(300_000);
        const sent = await sentCommands();
        if (sent.length === 0) {
            return;
        }
        const models = [stackModel(await stack("dev")), stackModel(await stack("prod")), stackModel(await everyOptionStack())];
        const { evaluated, denied, used } = await evaluate(models, sent);
        const kinds = [...new Set(sent.map((s) => s.kind))].sort().join(", ");
        console.log(
            `\n  IAM conformance: ${sent.length} distinct commands sent by ${kinds}; ${evaluated} authorizations on dev, prod and every-option: ${denied.length} denied`,
        );
        if (process.env.IAM_CONFORMANCE_UNUSED) {
            // IAM_CONFORMANCE_UNUSED=1 npm test: what the roles of the principals that sent commands grant and no call needed.
            const kinds = [...new Set(sent.map((s) => s.kind))];
            console.log(models.flatMap((m) => unusedActions(m, { evaluated, denied, used }, kinds)).join("\n"));
        }
        if (denied.length > 0) {
            throw new Error(`IAM conformance: ${denied.length} calls would be denied on AWS:\n${denied.map(describeVerdict).join("\n")}`);
        }
    },
};
