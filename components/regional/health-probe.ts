import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * The path Route 53's HTTPS checks probe: `/health/<token>`, a route of its own whose last segment is a random
 * stack secret. Route 53 cannot sign requests or send headers, so the path is the only place a secret can go
 * (Route 53 API reference, HealthCheckConfig.ResourcePath). HTTP API routes match the literal path, so a flood of
 * the open `GET /health` (or of guessed `/health/...` paths) lands on other routes, other token buckets and
 * another function, never on this one: the public can neither reach nor exhaust what decides a failover.
 * Who can still read the token: principals of the account allowed route53:GetHealthCheck, apigateway:GET or to read
 * the API's access logs (the route key is logged), and readers of the Pulumi state. Dependency-free except Pulumi.
 */

/** 32 characters of [a-z0-9]: about 165 bits, not guessable at any request rate. */
export const HEALTH_PROBE_TOKEN_LENGTH = 32;
export const HEALTH_PROBE_TOKEN = /^[a-z0-9]{32}$/;

/**
 * The probe route's own stage throttle. Route 53's checkers do not coordinate: "several requests per second
 * ... followed by a few seconds with no health checks at all"
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html);
 * about 16 checkers every 10 s is under 2 per second on average, so 10 per second with a burst of 20 leaves
 * room for their clustering and nothing else ever reaches it.
 */
export const HEALTH_PROBE_ROUTE_RATE_LIMIT = 10;
export const HEALTH_PROBE_ROUTE_BURST_LIMIT = 20;

export function healthProbePath(token: string): string {
    return `/health/${token}`;
}

export function healthProbeRouteKey(token: string): string {
    return `GET ${healthProbePath(token)}`;
}

/**
 * A probe token: a random string kept secret in the state (`additionalSecretOutputs`). The program makes one per
 * stack and gives it to both regions (their stages stay alike for the region-parity policy). Replacing the
 * resource (`pulumi up --replace <urn>`) rotates it; the routes and the health checks follow in the same update.
 */
export function createHealthProbeToken(name: string, opts?: { parent: pulumi.Resource }): pulumi.Output<string> {
    const token = new random.RandomString(
        `${name}-health-probe-token`,
        { length: HEALTH_PROBE_TOKEN_LENGTH, special: false, upper: false },
        { ...opts, additionalSecretOutputs: ["result"] },
    );
    return pulumi.secret(token.result);
}
