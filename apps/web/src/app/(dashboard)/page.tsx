import { FINDING_TYPES, getOverview, listHeartbeats, SEVERITIES, SEVERITY_WEIGHTS, TREND_DAYS, type WorkerHeartbeat } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, formatNumber, titleCase } from "../../components/format.ts";
import { ConnectorHealthList, findingsHref, RiskiestWorkloads, RuntimeAlerts } from "../../components/overview/panels.tsx";
import { PracticesSummary } from "../../components/overview/practices.tsx";
import { TrendChart } from "../../components/overview/trend-chart.tsx";
import { practiceHref } from "../../components/compliance/links.ts";
import { SeverityChart } from "../../components/severity-chart.tsx";
import { db } from "../../server/db.ts";
import { logger } from "../../server/logger.ts";
import { requirePage } from "../../server/org-context.ts";
import { redis } from "../../server/redis.ts";

export const metadata: Metadata = { title: "Overview" };

const WEIGHTS_TEXT = SEVERITIES.map((s) => `${titleCase(s)} ${SEVERITY_WEIGHTS[s]}`).join(", ");
const SCORE_FORMULA = `score = round(100 / (1 + weighted open findings / (10 × max(1, workloads)))), weights: ${WEIGHTS_TEXT}. 100 means no open findings; one critical finding per workload gives 50.`;

async function workers(): Promise<WorkerHeartbeat[] | null> {
  try {
    return await listHeartbeats(redis());
  } catch (err) {
    logger().warn({ err }, "could not read worker heartbeats");
    return null;
  }
}

function scoreTone(score: number): string {
  if (score >= 80) return "text-ok";
  if (score >= 50) return "text-warn";
  return "text-danger";
}

export default async function OverviewPage() {
  const { ctx, current } = await requirePage();
  const now = new Date();
  const [overview, live] = await Promise.all([getOverview(db(), ctx, now), workers()]);
  const chartData = SEVERITIES.map((s) => ({ severity: s, label: titleCase(s), count: overview.openBySeverity[s] }));
  const trend = overview.trend.map((t) => ({ day: t.day, score: t.score, critical: t.openBySeverity.CRITICAL ?? 0, high: t.openBySeverity.HIGH ?? 0 }));
  const first = overview.trend[0];
  const staleConnectors = overview.connectors.filter((c) => c.stale).length;

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          Overview
        </h1>
        <p className="text-sm text-muted">Security posture of {current.name}</p>
      </div>

      {overview.clusters === 0 ? (
        <div className="card border-dashed" data-testid="empty-state">
          <h2 className="font-semibold">No clusters connected yet</h2>
          <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm text-muted">
            <li>
              An admin creates an ingest token for the cluster on the <Link href="/connectors" className="text-accent underline">Connectors</Link> page (it is
              shown once).
            </li>
            <li>The agent (or a CronJob with kubectl and curl, shown there) posts the cluster&apos;s inventory and Trivy reports with that token.</li>
            <li>Findings, posture and compliance appear here within seconds of the first report.</li>
          </ol>
          <p className="mt-2 text-sm text-muted">
            From a shell, <code className="rounded bg-surface-2 px-1 font-mono text-xs">bulwark admin create-token --org {current.slug} --name my-cluster --scopes ingest --cluster my-cluster</code> does the
            same.
          </p>
        </div>
      ) : null}

      <div className="grid gap-4 md:grid-cols-[16rem_1fr]">
        <div className="card" data-testid="posture-score">
          <h2 className="text-sm font-semibold text-muted">Posture score</h2>
          <p className={`mt-2 text-5xl font-bold tabular-nums ${scoreTone(overview.score)}`} title={SCORE_FORMULA} data-testid="score-value">
            {overview.score}
            <span className="text-lg font-medium text-muted">/100</span>
          </p>
          {first && first.day !== trend[trend.length - 1]?.day ? (
            <p className="mt-1 text-xs text-muted" data-testid="score-change">
              {overview.score - first.score >= 0 ? "+" : ""}
              {overview.score - first.score} since {first.day}
            </p>
          ) : null}
          <details className="mt-3 text-xs text-muted">
            <summary className="cursor-pointer">How is this calculated?</summary>
            <p className="mt-1">{SCORE_FORMULA}</p>
          </details>
        </div>

        <div className="card">
          <div className="flex items-baseline justify-between">
            <h2 className="text-sm font-semibold text-muted">Open findings by severity</h2>
            <p className="text-sm">
              <Link href={findingsHref({})} className="font-semibold tabular-nums text-accent underline" data-testid="open-total">
                {formatNumber(overview.openTotal)}
              </Link>{" "}
              open ·{" "}
              <Link href={findingsHref({ fixable: "true" })} className="tabular-nums text-accent underline" data-testid="fixable-total">
                {formatNumber(overview.fixableOpen)}
              </Link>{" "}
              fixable
            </p>
          </div>
          <div className="mt-2 grid gap-4 lg:grid-cols-[1fr_12rem]">
            <SeverityChart data={chartData} hrefBase="/findings" />
            <table className="table" aria-label="Open findings by severity">
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col" className="text-right">
                    Open
                  </th>
                </tr>
              </thead>
              <tbody>
                {chartData.map((d) => (
                  <tr key={d.severity}>
                    <th scope="row" className="font-medium normal-case tracking-normal text-fg">
                      <span className="mr-2 inline-block size-2.5 rounded-sm" style={{ background: `var(--sev-${d.severity.toLowerCase()})` }} aria-hidden="true" />
                      {d.label}
                    </th>
                    <td className="text-right tabular-nums">
                      <Link href={findingsHref({ severity: d.severity })} className="text-accent hover:underline" data-testid={`sev-${d.severity}`}>
                        {formatNumber(d.count)}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {(
          [
            ["clusters", "Clusters", overview.clusters, "/clusters"],
            ["namespaces", "Namespaces", overview.namespaces, "/namespaces"],
            ["workloads", "Workloads", overview.workloads, "/workloads"],
            ["images", "Images", overview.images, "/images"],
          ] as const
        ).map(([key, label, value, href]) => (
          <Link key={key} href={href} className="card block hover:border-accent">
            <p className="text-sm text-muted">{label}</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`count-${key}`}>
              {formatNumber(value)}
            </p>
          </Link>
        ))}
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <div className="card">
          <h2 className="text-sm font-semibold text-muted">Posture trend ({TREND_DAYS} days)</h2>
          {trend.length < 2 ? (
            <p className="mt-3 text-sm text-muted" data-testid="trend-empty">
              The trend fills in as the worker takes its daily posture snapshot ({trend.length} so far).
            </p>
          ) : (
            <>
              <TrendChart data={trend} />
              <p className="sr-only">
                Score went from {trend[0]?.score} on {trend[0]?.day} to {trend[trend.length - 1]?.score} on {trend[trend.length - 1]?.day}.
              </p>
            </>
          )}
        </div>

        <div className="card">
          <h2 className="text-sm font-semibold text-muted">Open findings by type</h2>
          <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm">
            {FINDING_TYPES.map((t) => (
              <div key={t} className="flex justify-between border-b border-border pb-1">
                <dt>{titleCase(t)}</dt>
                <dd className="tabular-nums">
                  <Link href={findingsHref({ type: t })} className="text-accent hover:underline" data-testid={`type-${t}`}>
                    {formatNumber(overview.openByType[t])}
                  </Link>
                </dd>
              </div>
            ))}
          </dl>
        </div>
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <div className="card">
          <div className="flex items-baseline justify-between">
            <h2 className="text-sm font-semibold text-muted">Compliance with the five practices</h2>
            <Link href="/compliance" className="text-xs text-accent hover:underline">
              Compliance details
            </Link>
          </div>
          <PracticesSummary
            practices={overview.practices.map((p) => ({ key: p.practice, label: p.label, compliant: p.compliant, total: p.total, notConfigured: p.notConfigured, href: practiceHref(p.practice, null) }))}
          />
        </div>
        <div className="card">
          <h2 className="text-sm font-semibold text-muted">Top 10 riskiest workloads</h2>
          <RiskiestWorkloads rows={overview.riskiest} />
        </div>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="card">
          <div className="flex items-baseline justify-between">
            <h2 className="text-sm font-semibold text-muted">Recent runtime alerts</h2>
            <Link href={findingsHref({ type: "RUNTIME" })} className="text-xs text-accent hover:underline">
              All runtime findings
            </Link>
          </div>
          <RuntimeAlerts rows={overview.runtimeAlerts} now={now} />
        </div>
        <div className="card">
          <div className="flex items-baseline justify-between">
            <h2 className="text-sm font-semibold text-muted">Connector health</h2>
            {staleConnectors > 0 ? (
              <span className="text-xs font-semibold text-warn" data-testid="stale-connectors">
                {staleConnectors} stale
              </span>
            ) : null}
          </div>
          <ConnectorHealthList rows={overview.connectors} now={now} />
        </div>

        <div className="card" data-testid="worker-status">
          <h2 className="text-sm font-semibold text-muted">Background workers</h2>
          {live === null ? (
            <p className="mt-3 text-sm text-warn">Worker status is unavailable: Redis did not answer.</p>
          ) : live.length === 0 ? (
            <p className="mt-3 text-sm text-warn" role="status">
              No worker running. Scheduled scans and daily posture snapshots are paused until a worker process (apps/worker) is started.
            </p>
          ) : (
            <ul className="mt-3 space-y-2 text-sm">
              {live.map((w) => (
                <li key={w.id} className="flex flex-wrap justify-between gap-2">
                  <span>
                    <span className="mr-2 inline-block size-2 rounded-full bg-ok" aria-hidden="true" />
                    {w.hostname} <span className="text-muted">pid {w.pid} · v{w.version}</span>
                  </span>
                  <span className="text-muted">
                    {w.jobsProcessed} jobs · {w.jobsFailed} failed · last beat {formatDateTime(w.lastBeatAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
