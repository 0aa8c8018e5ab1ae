import { requestHashOf } from "./create-transaction";
import type { TransactionView } from "./transactions";

/**
 * The request hash a receipt's transaction stands for: the receipt carries the accepted request's fields (the public
 * view), so the reconciliation can compare a stored receipt's contents with the table's `requestHash` without
 * reading the whole item. Must stay the inverse of `toView` over the hashed fields (tested on every create).
 */
export function requestHashOfView(view: TransactionView): string {
    return requestHashOf({
        amount: view.amount,
        currency: view.currency,
        merchantId: view.merchantId,
        reference: view.reference,
        ...(view.metadata === undefined ? {} : { metadata: view.metadata }),
    });
}
