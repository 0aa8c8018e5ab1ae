import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy, trustPolicyJson } from "./iam";

export interface ServiceRoleArgs {
    readonly roleName: pulumi.Input<string>;
    readonly description: string;
    /** The one service principal that may assume it (for this account only), e.g. `fis.amazonaws.com`. */
    readonly service: string;
    readonly accountId: pulumi.Input<string>;
    /** The inline policy document (JSON). */
    readonly policy: pulumi.Input<string>;
}

/** A role only `service` may assume on this account's behalf, with one inline policy: `<name>-role`, `<name>-policy`. */
export function createServiceRole(name: string, a: ServiceRoleArgs, opts: pulumi.CustomResourceOptions): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            name: a.roleName,
            description: a.description,
            assumeRolePolicy: pulumi.output(a.accountId).apply((id) => trustPolicyJson(serviceTrustPolicy(a.service, id))),
        },
        opts,
    );
    const policy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: a.policy }, opts);
    return { role, policy };
}
