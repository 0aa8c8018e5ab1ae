/**
 * A program for the mocked runtime that constructs a RegionalStack through the provider's `construct` with the aws
 * provider of another region than its `region` arg: the deployment must fail with the TypeScript component's
 * message, which proves the caller's provider reaches the component inside.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { typeToken } from "../../provider/arg-checks";
import { componentProvider } from "./component-provider";

export const constructed = (async () => {
    const { provider } = await componentProvider();
    const west = new aws.Provider("consumer-west", { region: "us-west-2" });
    const stack = await provider.construct(
        "primary",
        typeToken("RegionalStack"),
        {
            role: "primary",
            region: "us-east-1",
            environment: "dev",
            envLabel: "dev",
            nameSuffix: "abc123",
            tableName: "transactions-table-dev-abc123",
            apiAuth: { mode: "iam" },
            processorSecurity: { transactionIdKey: pulumi.secret(Buffer.alloc(32, 7).toString("base64")) },
            consistencyMode: "eventual",
            throttle: { rateLimit: 100, burstLimit: 200 },
        },
        { providers: { aws: west } },
    );
    return pulumi.output(stack.urn);
})();
