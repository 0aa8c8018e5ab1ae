import { expect } from "chai";
import { useHandlerFixture } from "./support/fixture";
import { invoke, postTransactionEvent, validBody, getEvent } from "./support/events";

describe("smoke", () => {
    const fixture = useHandlerFixture();
    it("works", async () => {
        const res = await invoke(postTransactionEvent(validBody()));
        console.log(res.status, res.text);
        const h = await invoke(getEvent("/health"));
        console.log(h.status, h.text);
        console.log(await fixture.aws.scan(fixture.tableName));
        console.log(await fixture.aws.listKeys(fixture.bucketName));
        console.log(fixture.logs.raw);
        expect(res.status).to.equal(201);
    });
});
