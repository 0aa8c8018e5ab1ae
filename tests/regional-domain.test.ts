import { expect } from "chai";
import { checkedSharedValidation } from "../components/regional/regional-domain";

describe("RegionalDomain shared ACM validation record", () => {
    const shared = { name: "_abc.api.payments-dr.acme-pay.net.", value: "_def.acm-validations.aws.", fqdn: "_abc.api.payments-dr.acme-pay.net" };

    it("reuses the primary's record when ACM asks this region for the same one", () => {
        const asked = { resourceRecordName: shared.name, resourceRecordValue: shared.value };
        expect(checkedSharedValidation("us-west-2", "api.payments-dr.acme-pay.net", asked, shared)).to.equal(shared.fqdn);
    });

    it("fails the deployment with the reason when ACM asks for a different record", () => {
        const asked = { resourceRecordName: "_xyz.api.payments-dr.acme-pay.net.", resourceRecordValue: shared.value };
        expect(() => checkedSharedValidation("us-west-2", "api.payments-dr.acme-pay.net", asked, shared)).to.throw(
            "ACM in us-west-2 asks for validation record _xyz.api.payments-dr.acme-pay.net. = _def.acm-validations.aws. for " +
                "api.payments-dr.acme-pay.net, not the shared _abc.api.payments-dr.acme-pay.net. = _def.acm-validations.aws.; " +
                "give this region its own record",
        );
    });
});
