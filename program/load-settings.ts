import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { parseStackSettings, StackSettings } from "./config";
import { CONFIG_NAMESPACE, SECRET_KEYS, SecretKey } from "./config-keys";

/**
 * A personal-data setting read with the secret-aware API: a secret Output (encrypted in the state, masked in
 * previews) whether or not it was stored encrypted; undefined when unset. Validation used the plain value.
 */
export function secretSetting(settings: StackSettings, key: SecretKey): pulumi.Output<string> | undefined {
    return settings[key] === undefined ? undefined : new pulumi.Config(CONFIG_NAMESPACE).requireSecret(key).apply((v) => v.trim());
}

/** Whether the CLI handed the program `fullKey` as a secret (the SDK knows; its typings do not say so). */
export const isConfigSecret = (fullKey: string): boolean => (runtimeConfig as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(fullKey);

/**
 * What the operator should know about the config itself: personal data in plain text, a prod stack nobody is
 * paged for, an `aws:region` the explicit providers ignore.
 */
export function configNotices(settings: StackSettings, awsRegion: string | undefined, isSecret: (fullKey: string) => boolean): string[] {
    const notices = SECRET_KEYS.filter((key) => settings[key] !== undefined && !isSecret(`${CONFIG_NAMESPACE}:${key}`)).map(
        (key) =>
            `\`${key}\` is ${key === "alarmEmail" ? "personal data" : "a secret"} stored in plain text in Pulumi.${settings.stack}.yaml: encrypt it with ` +
            `\`pulumi config set --secret ${key} <value>\``,
    );
    if (settings.environment === "prod" && settings.alarmEmail === undefined) {
        notices.push("no one is subscribed to prod's alarms: run `pulumi config set --secret alarmEmail <on-call address>`");
    }
    if (awsRegion !== undefined) {
        notices.push(
            `\`aws:region\` (${awsRegion}) is unused: the stack's providers take their regions from \`payments-dr:primaryRegion\` and ` +
                "`payments-dr:secondaryRegion`; remove it with `pulumi config rm aws:region`",
        );
    }
    return notices;
}

/** Reads this stack's `payments-dr:*` config from the Pulumi runtime and validates it. */
export function loadStackSettings(): StackSettings {
    const prefix = `${CONFIG_NAMESPACE}:`;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            raw[key.slice(prefix.length)] = value;
        }
    }
    return parseStackSettings(raw, pulumi.getProject(), pulumi.getStack());
}
