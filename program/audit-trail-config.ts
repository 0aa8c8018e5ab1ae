/**
 * Config of the CloudTrail data-event trail (components/safety-net/audit-trail.ts). Parsed here so `config.ts` only wires the
 * key in; the reader is `parseStackSettings`' own (same messages).
 */

export const AUDIT_TRAIL_CONFIG_KEYS = ["cloudTrailDataEvents"] as const;

export interface AuditTrailSettings {
    /**
     * `cloudTrailDataEvents`: record every read and write data event on the transactions table and the data buckets
     * (documents, log archive) in a trail per region. Billed per event: see the README's cost estimate.
     */
    readonly cloudTrailDataEvents: boolean;
}

/** The reader `parseStackSettings` uses: it records a problem and returns the fallback on a bad value. */
export interface AuditTrailConfigReaders {
    bool(key: string, fallback: boolean): boolean;
}

/** On by default in prod (who touched cardholder data, PCI DSS 10.2.1), off elsewhere; either can be set. */
export function parseAuditTrail(read: AuditTrailConfigReaders, isProd: boolean): AuditTrailSettings {
    return { cloudTrailDataEvents: read.bool("cloudTrailDataEvents", isProd) };
}
