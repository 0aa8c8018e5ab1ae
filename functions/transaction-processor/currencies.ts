/**
 * Active ISO 4217 alphabetic codes (the maintenance agency's "List One": currencies, funds and
 * precious metals), as published by SIX on 2026-09-17. Withdrawn codes (e.g. HRK, BGN, ANG, ZWL,
 * SLL, CUC) are deliberately absent. Update this list when SIX publishes an amendment.
 */
// A table of codes reads better as a table than one code per line.
// prettier-ignore
export const ISO_4217_ACTIVE_CODES = [
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD",
    "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
    "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF",
    "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP",
    "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR",
    "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
    "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP",
    "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
    "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB",
    "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN",
    "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH",
    "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAD",
    "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF",
    "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG",
] as const;

/**
 * Codes on List One that never denote money a payment can be made in: `XTS` is reserved for
 * testing and `XXX` means "no currency is involved". Both are refused.
 */
export const NON_PAYMENT_CODES: readonly string[] = ["XTS", "XXX"];

/** The codes `POST /transactions` accepts: List One without the two non-payment codes. */
export const ACCEPTED_CURRENCIES: readonly string[] = ISO_4217_ACTIVE_CODES.filter((code) => !NON_PAYMENT_CODES.includes(code));

const accepted = new Set(ACCEPTED_CURRENCIES);

/** True for an accepted, upper-case ISO 4217 code (`"USD"`); false for `"usd"`, `"HRK"`, `"XXX"`. */
export function isAcceptedCurrency(code: string): boolean {
    return accepted.has(code);
}
