import type { ConnectorHealth, RiskyWorkload, RuntimeAlert } from "@bulwark/core";
import Link from "next/link";
import { formatAge, formatNumber, titleCase, truncate } from "../format.ts";

/** /findings with the given filters (the findings explorer's URL contract); open findings unless a status is given. */
export function findingsHref(filters: Record<string, string>): string {
  const q = new URLSearchParams(filters).toString();
  return q ? `/findings?${q}` : "/findings";
}

function SeverityDot({ severity }: { severity: string }) {
  return <span className="mr-1.5 inline-block size-2.5 rounded-sm align-middle" style={{ background: `var(--sev-${severity.toLowerCase()})` }} aria-hidden="true" />;
}

export function RiskiestWorkloads({ rows }: { rows: RiskyWorkload[] }) {
  if (rows.length === 0) return <p className="mt-3 text-sm text-muted">No workload carries risk right now.</p>;
  return (
    <table className="table mt-2" data-testid="riskiest-workloads" aria-label="Top 10 riskiest workloads">
      <thead>
        <tr>
          <th scope="col">Workload</th>
          <th scope="col">Why</th>
          <th scope="col" className="text-right">
            Risk
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((w) => (
          <tr key={w.id} data-testid="riskiest-row">
            <th scope="row" className="font-medium normal-case tracking-normal text-fg">
              <Link href={`/workloads/${w.id}`} className="text-accent hover:underline">
                {w.name}
              </Link>
              <span className="block text-xs font-normal text-muted">
                {w.kind} · {w.cluster}/{w.namespace}
              </span>
            </th>
            <td className="text-xs text-muted">{w.topFactor ? truncate(w.topFactor, 80) : "—"}</td>
            <td className="text-right font-semibold tabular-nums">{w.riskScore}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RuntimeAlerts({ rows, now }: { rows: RuntimeAlert[]; now: Date }) {
  if (rows.length === 0) return <p className="mt-3 text-sm text-muted">No open runtime alerts. Falco events sent to Bulwark appear here within seconds.</p>;
  return (
    <ul className="mt-2 divide-y divide-border text-sm" data-testid="runtime-alerts">
      {rows.map((a) => (
        <li key={a.id} className="flex flex-wrap items-baseline justify-between gap-2 py-1.5">
          <span className="min-w-0">
            <SeverityDot severity={a.severity} />
            <Link href={`/findings/${a.id}`} className="text-accent hover:underline">
              {truncate(a.title, 70)}
            </Link>
            <span className="block text-xs text-muted">
              {[a.cluster, a.namespace, a.workload].filter(Boolean).join(" / ") || "unresolved workload"} · {formatNumber(a.occurrences)}×
            </span>
          </span>
          <span className="text-xs text-muted">
            <span className="sr-only">{titleCase(a.severity)}, </span>
            {formatAge(a.lastSeen, now)}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function ConnectorHealthList({ rows, now }: { rows: ConnectorHealth[]; now: Date }) {
  if (rows.length === 0) {
    return (
      <p className="mt-3 text-sm text-muted">
        No connector has reported yet. <Link href="/connectors" className="text-accent underline">Connect a cluster or registry</Link>.
      </p>
    );
  }
  return (
    <ul className="mt-2 divide-y divide-border text-sm" data-testid="connector-health">
      {rows.map((c) => (
        <li key={`${c.kind}-${c.id}`} className="flex flex-wrap items-baseline justify-between gap-2 py-1.5" data-testid="connector-row" data-stale={c.stale}>
          <span>
            <span className={`mr-2 inline-block size-2 rounded-full ${c.stale ? "bg-warn" : "bg-ok"}`} aria-hidden="true" />
            {c.kind === "cluster" ? (
              <Link href={`/clusters/${c.id}`} className="text-accent hover:underline">
                {c.name}
              </Link>
            ) : (
              <Link href={`/images?registry=${encodeURIComponent(c.name)}`} className="text-accent hover:underline">
                {c.name}
              </Link>
            )}{" "}
            <span className="text-xs text-muted">{c.kind}</span>
          </span>
          <span className={`text-xs ${c.stale ? "font-semibold text-warn" : "text-muted"}`}>
            {c.stale ? "Stale · " : ""}
            {c.lastReportAt ? `last report ${formatAge(c.lastReportAt, now)}` : "never reported"}
          </span>
        </li>
      ))}
    </ul>
  );
}
