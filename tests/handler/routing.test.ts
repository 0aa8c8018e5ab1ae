import { expect } from "chai";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { handler } from "../../functions/transaction-processor";
import { apiEvent, invoke, lambdaContext } from "./support/events";
import { handlerEnv, useEnvFixture } from "./support/fixture";

const NOWHERE = { dynamoEndpoint: "http://127.0.0.1:9", s3Endpoint: "http://127.0.0.1:9" };

describe("routing (routes.ts)", () => {
    const fixture = useEnvFixture();
    before(() => fixture.env.set(handlerEnv(NOWHERE, "transactions-routing", "receipts-routing")));

    // `/health` belongs to the health function (its own route): here it is an unknown path like any other.
    for (const path of ["/", "/nope", "/transactions/", "/transactions/a/b", "/health", "/healthz", "/TRANSACTIONS"]) {
        it(`answers 404 NOT_FOUND in JSON for GET ${path}`, async () => {
            const response = await invoke(apiEvent({ method: "GET", path }));
            expect(response.status).to.equal(404);
            expect(response.headers["content-type"]).to.equal("application/json");
            expect(response.body.error?.code).to.equal("NOT_FOUND");
        });
    }

    const wrongMethods: [string, string, string][] = [
        ["GET", "/transactions", "POST"],
        ["DELETE", "/transactions", "POST"],
        ["PUT", "/transactions/txn_aaaaaaaaaaaaaaaaaaaaaaaaaa", "GET"],
        ["HEAD", "/transactions/txn_aaaaaaaaaaaaaaaaaaaaaaaaaa", "GET"],
    ];
    for (const [method, path, allow] of wrongMethods) {
        it(`answers 405 with Allow: ${allow} for ${method} ${path}`, async () => {
            const response = await invoke(apiEvent({ method, path }));
            expect(response.status).to.equal(405);
            expect(response.headers["allow"]).to.equal(allow);
            expect(response.body.error?.code).to.equal("METHOD_NOT_ALLOWED");
        });
    }

    it("strips a named stage from rawPath", async () => {
        const response = await invoke(apiEvent({ method: "DELETE", path: "/transactions", stage: "v1" }));
        expect(response.status).to.equal(405);
    });

    it("answers a malformed event with JSON instead of throwing", async () => {
        const result = await handler({} as APIGatewayProxyEventV2, lambdaContext("req-malformed"));
        expect(result.statusCode).to.equal(404);
        expect(JSON.parse(result.body ?? "")).to.have.nested.property("error.code", "NOT_FOUND");
    });

    it("returns the request id in a header", async () => {
        const response = await invoke(apiEvent({ method: "GET", path: "/nope" }), "req-123");
        expect(response.headers["x-request-id"]).to.equal("req-123");
    });
});
