import { expect } from "chai";
import { parseStackSettings } from "../program/config";
import { configNotices } from "../program/load-settings";
import { isWireSecret } from "../policy/rules/view";
import { projectConfig } from "../scripts/preview/run";
import { readStackConfig } from "../scripts/synth/stack-config";
import { synthesize } from "../scripts/synth/synthesize";
import { stack } from "./support/stacks";

const EMAIL = "payments-oncall@acme-pay.net";

describe("personal data in config is handled as a secret", () => {
    it("subscribes the on-call address through a secret Output, whether or not it was stored encrypted", async () => {
        await stack("prod");
        const config = { ...readStackConfig("prod"), "payments-dr:alarmEmail": EMAIL };
        const s = await synthesize("prod-secret", config, "payments-dr", { secretKeys: ["payments-dr:alarmEmail"] });
        const subs = s.resources.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription");
        expect(subs.map((r) => r.region).sort()).to.deep.equal(["us-east-1", "us-west-2"]);
        for (const sub of subs) {
            expect(sub.inputs.protocol).to.equal("email");
            // A secret on the wire: encrypted in the state, masked in previews and the plan.
            expect(isWireSecret(sub.inputs.endpoint), sub.name).to.equal(true);
            expect(sub.inputs.endpoint.value).to.equal(EMAIL);
        }
        expect(s.outputs.notices as string[]).to.not.include.members([
            "`alarmEmail` is personal data stored in plain text in Pulumi.prod-secret.yaml: encrypt it with `pulumi config set --secret alarmEmail <value>`",
        ]);
    });

    it("says when personal data sits in plain text, when prod pages nobody, and when aws:region is set for nothing", () => {
        const settings = parseStackSettings({ ...projectConfig(readStackConfig("prod")), alarmEmail: EMAIL }, "payments-dr", "prod");
        expect(configNotices(settings, undefined, () => false)).to.deep.equal([
            "`alarmEmail` is personal data stored in plain text in Pulumi.prod.yaml: encrypt it with `pulumi config set --secret alarmEmail <value>`",
        ]);
        expect(configNotices(settings, undefined, () => true)).to.deep.equal([]);
        const unpaged = parseStackSettings(projectConfig(readStackConfig("prod")), "payments-dr", "prod");
        expect(configNotices(unpaged, "eu-west-1", () => true)).to.deep.equal([
            "no one is subscribed to prod's alarms: run `pulumi config set --secret alarmEmail <on-call address>`",
            "`aws:region` (eu-west-1) is unused: the stack's providers take their regions from `payments-dr:primaryRegion` and " +
                "`payments-dr:secondaryRegion`; remove it with `pulumi config rm aws:region`",
        ]);
    });

    it("keeps personal data out of the committed stack files", () => {
        for (const name of ["dev", "prod"]) {
            expect(readStackConfig(name)["payments-dr:alarmEmail"], name).to.equal("");
        }
    });
});
