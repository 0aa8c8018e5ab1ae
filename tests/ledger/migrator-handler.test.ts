import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import * as net from "net";
import { handler } from "../../functions/ledger-migrator/index";
import { EnvSandbox } from "../handler/support/env-sandbox";

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ledger-master-AbCdEf";
/** PostgreSQL's SSLRequest: length 8, code 80877103 (protocol docs, "SSL Session Encryption"). */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

/**
 * The ledger migrator's handler: it reads the master secret (the call the IAM conformance check evaluates against
 * the migrator's role), then logs in to the writer only over TLS. Here the "writer" is a local server that answers
 * an SSLRequest as a PostgreSQL server without TLS does ('N'): the migrator must refuse before sending the password.
 */
describe("ledger migrator handler (functions/ledger-migrator)", () => {
    const env = new EnvSandbox();
    let server: net.Server;
    let received: Buffer[];
    let secrets: ReturnType<typeof mockClient>;

    before(async () => {
        server = net.createServer((socket) => {
            socket.on("data", (data: Buffer) => {
                received.push(data);
                if (data.equals(SSL_REQUEST)) {
                    socket.write("N");
                }
            });
            socket.on("error", () => undefined);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    beforeEach(() => {
        received = [];
        secrets = mockClient(SecretsManagerClient);
        env.set({
            AWS_REGION: "us-east-1",
            LEDGER_MASTER_SECRET_ARN: SECRET_ARN,
            LEDGER_DB_HOST: "127.0.0.1",
            LEDGER_DB_PORT: String((server.address() as net.AddressInfo).port),
            LEDGER_DB_NAME: "ledger",
        });
    });
    afterEach(() => {
        secrets.restore();
        env.restore();
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("reads the master secret named by LEDGER_MASTER_SECRET_ARN, then refuses a writer without TLS before sending the password", async () => {
        secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify({ username: "postgres", password: "master-pw" }) });
        const error = await handler().then(
            () => undefined,
            (e: unknown) => e as Error,
        );
        expect(error?.message).to.equal("The server does not support SSL connections");
        const calls = secrets.commandCalls(GetSecretValueCommand);
        expect(calls.map((c) => c.args[0].input)).to.deep.equal([{ SecretId: SECRET_ARN }]);
        expect(await (calls[0].thisValue as SecretsManagerClient).config.region()).to.equal("us-east-1");
        expect(Buffer.concat(received)).to.deep.equal(SSL_REQUEST);
    });

    it("refuses a master secret without username and password, connecting nowhere", async () => {
        secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: "postgres" }) });
        const error = await handler().then(
            () => undefined,
            (e: unknown) => e as Error,
        );
        expect(error?.message).to.equal("the master secret has no username/password");
        expect(received).to.deep.equal([]);
    });
});
