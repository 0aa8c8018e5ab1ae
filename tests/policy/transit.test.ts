import { expect } from "chai";
import { apiDomainTls } from "../../policy/rules/transit";
import { ACCOUNT, EAST, messages, view, WEST } from "./support";

const domain = (configuration: Record<string, unknown>) =>
    view({
        type: "aws:apigatewayv2/domainName:DomainName",
        region: EAST,
        props: {
            domainName: "api.payments.acme-pay.net",
            domainNameConfiguration: {
                endpointType: "REGIONAL",
                securityPolicy: "TLS_1_2",
                certificateArn: `arn:aws:acm:${EAST}:${ACCOUNT}:certificate/abc`,
                ...configuration,
            },
        },
    });

describe("policy: encryption in transit", () => {
    describe("api-domain-tls12-regional-certificate", () => {
        it("flags TLS_1_0 and a certificate from another region", async () => {
            expect(await messages(apiDomainTls, domain({ securityPolicy: "TLS_1_0" }))).to.have.length(1);
            expect((await messages(apiDomainTls, domain({ certificateArn: `arn:aws:acm:${WEST}:${ACCOUNT}:certificate/abc` })))[0]).to.contain(
                "request the certificate in us-east-1",
            );
        });

        it("passes TLS_1_2 with this region's certificate", async () => {
            expect(await messages(apiDomainTls, domain({}))).to.deep.equal([]);
        });
    });
});
