/**
 * `receipts/<shard>/YYYY/MM/DD/<id>.json`, dated by the transaction's `createdAt` (UTC). The shard (two
 * characters of the id's hash, 1,024 values) comes before the date so that each day's writes spread over the
 * whole key space: S3 serves about 3,500 PUTs per second per partition, and a date-first key would send every
 * write of a new day (10,000 per second at the target) into one cold partition at midnight. In eventual mode the key
 * ends in the accepting Region (`<id>.<region>.json`): a key accepted in two Regions with different bodies keeps one
 * receipt per version, and S3 replication never puts one version's receipt over the other's.
 */
export function receiptKeyFor(id: string, createdAt: string, versionRegion?: string): string {
    const [year, month, day] = createdAt.slice(0, 10).split("-");
    return `receipts/${receiptShard(id)}/${year}/${month}/${day}/${id}${versionRegion === undefined ? "" : `.${versionRegion}`}.json`;
}

/** The first two hash characters after `txn_`. */
export function receiptShard(id: string): string {
    return id.slice(4, 6);
}
