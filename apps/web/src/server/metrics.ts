import { type PostureMetrics } from "@bulwark/core";
import { Gauge, Registry } from "prom-client";

// Prometheus gauges for one organization's posture. A fresh Registry per scrape: a shared (global)
// registry would keep the label sets of whichever organization was scraped before and serve them to
// the next one. Series whose value is undefined (a ratio over no workloads, trusted images when the
// organization marks no registry trusted, the report time of a cluster that never reported) are left
// out rather than exported as NaN.

export function postureRegistry(m: PostureMetrics): Registry {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Gauge<L>({ name, help, labelNames, registers: [registry] });

  const open = gauge(
    "bulwark_open_findings",
    'Open findings by cluster, severity and type. Image findings count toward every cluster running the image; cluster="" holds images running nowhere and findings tied to no cluster.',
    ["cluster", "severity", "type"],
  );
  for (const f of m.openFindings) open.set({ cluster: f.cluster, severity: f.severity, type: f.type }, f.count);

  gauge("bulwark_posture_score", "Posture score of the organization, 0-100 (higher is better).", []).set(m.score);

  const workloads = gauge("bulwark_workloads", "Live workloads per cluster.", ["cluster"]);
  const practice = gauge("bulwark_practice_compliance_ratio", "Share of a cluster's live workloads meeting a practice (0-1).", ["practice", "cluster"]);
  const pss = gauge("bulwark_pss_pass_ratio", "Share of a cluster's evaluated workloads passing a Pod Security Standards level (0-1).", ["level", "cluster"]);
  const lastReport = gauge("bulwark_connector_last_report_timestamp_seconds", "Unix time of the cluster agent's last report.", ["cluster"]);
  const stale = gauge("bulwark_connector_stale", "1 when the cluster agent has not reported within the staleness window (1 hour), else 0.", ["cluster"]);
  for (const c of m.clusters) {
    workloads.set({ cluster: c.name }, c.workloads);
    for (const [key, value] of Object.entries(c.practices)) if (value !== null) practice.set({ practice: key, cluster: c.name }, value);
    if (c.pss.baseline !== null) pss.set({ level: "baseline", cluster: c.name }, c.pss.baseline);
    if (c.pss.restricted !== null) pss.set({ level: "restricted", cluster: c.name }, c.pss.restricted);
    if (c.lastReportAt) lastReport.set({ cluster: c.name }, c.lastReportAt.getTime() / 1000);
    stale.set({ cluster: c.name }, c.stale ? 1 : 0);
  }

  const points = gauge("bulwark_enforcement_points", 'Enforcement points per cluster by heartbeat health (healthy: within 10 minutes; stale; never). cluster="" for points tied to no cluster.', ["cluster", "health"]);
  for (const p of m.enforcementPoints) points.set({ cluster: p.cluster, health: p.health }, p.count);
  return registry;
}
