import { AlbComparison, ALB_ASSUMPTIONS } from "./alb";
import { CostLine } from "./estimate";
import { UsageEstimate } from "./usage";

/** Markdown for the usage estimate (`npm run cost:estimate -- --tps`): what docs/costs.md shows, byte for byte. */

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Small unit prices read better per million units. */
function unitPrice(l: CostLine): string {
    return l.unitPrice >= 0.001 ? `$${l.unitPrice.toFixed(4).replace(/0{1,2}$/, "")}` : `$${(l.unitPrice * 1e6).toFixed(4).replace(/0{1,2}$/, "")} per million`;
}

export function formatUsageTable(stack: string, u: UsageEstimate): string {
    const perMillion = (monthly: number) => usd((monthly / u.paymentsPerMonth) * 1e6);
    return [
        `| ${stack}: usage at ${u.tps.toLocaleString("en-US")} payments/s | Quantity per month | Unit price | Per month | Per million payments |`,
        "|---|---:|---:|---:|---:|",
        ...u.lines.map((l) => `| ${l.item} | ${l.quantity.toLocaleString("en-US")} | ${unitPrice(l)} | ${usd(l.monthly)} | ${perMillion(l.monthly)} |`),
        `| **Total** | | | **${usd(u.monthly)}** | **${usd(u.perMillionPayments)}** |`,
        "",
        ...u.assumptions.map((a) => `- ${a}`),
    ].join("\n");
}

export function formatAlbTable(stack: string, tps: number, alb: AlbComparison): string {
    const a = ALB_ASSUMPTIONS;
    return [
        `| ${stack}: an ALB instead of the HTTP API at ${tps.toLocaleString("en-US")} payments/s | Quantity per month | Unit price | Per month |`,
        "|---|---:|---:|---:|",
        ...alb.lines.map((l) => `| ${l.item} | ${l.quantity.toLocaleString("en-US")} | ${unitPrice(l)} | ${usd(l.monthly)} |`),
        `| **ALB total** (replaces the HTTP API's ${usd(alb.httpApiMonthly)}) | | | **${usd(alb.monthly)}** |`,
        "",
        `- assumed: ${a.bytesPerRequest.toLocaleString("en-US")} B processed per request (both ways, headers included), one new ` +
            `connection per ${a.requestsPerConnection} requests living ${a.connectionSeconds} s, no more than the 10 free rule evaluations`,
    ].join("\n");
}
