/**
 * Encryption in transit for the API's custom domains: TLS 1.2 or newer, and a certificate from the API's own
 * region (a regional custom domain cannot use a certificate from another region).
 */
import { at, isUnknown, parseArn, ResourceRule, str } from "./view";

export const API_DOMAIN_TYPE = "aws:apigatewayv2/domainName:DomainName";
/** Security policies that refuse TLS 1.0/1.1 (`TLS_1_0` is the only older one API Gateway offers). */
export const MIN_TLS_POLICY = /^(TLS_1_2|SecurityPolicy_TLS1[23].*)$/;

export const apiDomainTls: ResourceRule = {
    name: "api-domain-tls12-regional-certificate",
    description: "API Gateway custom domains use security policy TLS_1_2 (or newer) and an ACM certificate from their own region.",
    enforcementLevel: "mandatory",
    validateResource: (view, report) => {
        if (view.type !== API_DOMAIN_TYPE) {
            return;
        }
        const policy = at(view.props, "domainNameConfiguration", "securityPolicy");
        if (!isUnknown(policy) && !MIN_TLS_POLICY.test(str(policy) ?? "")) {
            report(`\`domainNameConfiguration.securityPolicy\` is ${JSON.stringify(policy ?? null)}: use "TLS_1_2" (TLS 1.2+ in transit).`);
        }
        const certificate = parseArn(at(view.props, "domainNameConfiguration", "certificateArn"));
        if (certificate && view.region !== undefined && certificate.region !== view.region) {
            report(`the certificate is in ${certificate.region} but the domain is in ${view.region}: request the certificate in ${view.region}.`);
        }
    },
};

export const TRANSIT_RULES = [apiDomainTls];
