import { type PolicyResultView, type RiskFactorView, type WorkloadDetail } from "@bulwark/core";
import Link from "next/link";
import { StatusBadge } from "../enforcement/status-badge.tsx";
import type { Tone } from "../enforcement/status.ts";
import { formatDateTime, titleCase } from "../format.ts";
import { riskBand } from "../vulnerabilities/risk.ts";
import { SeverityCountsInline } from "./severity-counts.tsx";

// The workload page's posture sections: containers with their images and security context, risk
// explained factor by factor, and every policy's result from the last evaluation.

const RESULT: Record<string, { label: string; tone: Tone }> = {
  pass: { label: "Pass", tone: "ok" },
  fail: { label: "Fail", tone: "danger" },
  warn: { label: "Warn", tone: "warn" },
  skip: { label: "Waived", tone: "muted" },
  error: { label: "Error", tone: "warn" },
};

/** The security-context settings that matter at a glance, as words. */
export function securitySummary(sc: unknown): string[] {
  if (!sc || typeof sc !== "object" || Array.isArray(sc)) return [];
  const s = sc as Record<string, unknown>;
  const out: string[] = [];
  if (s.privileged === true) out.push("privileged");
  if (s.runAsNonRoot === true) out.push("runAsNonRoot");
  if (typeof s.runAsUser === "number") out.push(`runAsUser ${s.runAsUser}`);
  if (s.readOnlyRootFilesystem === true) out.push("read-only root FS");
  if (s.allowPrivilegeEscalation === false) out.push("no privilege escalation");
  if (s.allowPrivilegeEscalation === true) out.push("privilege escalation allowed");
  const caps = s.capabilities as { add?: unknown; drop?: unknown } | undefined;
  if (caps && Array.isArray(caps.add) && caps.add.length > 0) out.push(`adds ${caps.add.join(", ")}`);
  if (caps && Array.isArray(caps.drop) && caps.drop.length > 0) out.push(`drops ${caps.drop.join(", ")}`);
  return out;
}

export function ContainersTable({ workload }: { workload: Pick<WorkloadDetail, "containers"> }) {
  return (
    <table className="table" data-testid="workload-containers">
      <caption className="sr-only">Containers, their images, open findings of each image and security context</caption>
      <thead>
        <tr>
          <th scope="col">Container</th>
          <th scope="col">Image</th>
          <th scope="col">Open findings (image)</th>
          <th scope="col">Security context</th>
        </tr>
      </thead>
      <tbody>
        {workload.containers.map((c) => {
          const sc = securitySummary(c.securityContext);
          return (
            <tr key={c.id} data-testid="workload-container-row">
              <th scope="row" className="text-left font-mono text-xs font-medium tracking-normal text-fg normal-case">
                {c.name}
                <span className="block font-sans text-muted">{titleCase(c.type)}</span>
              </th>
              <td className="max-w-xs text-xs">
                {c.image ? (
                  <Link href={`/images/${c.image.id}`} className="block truncate text-accent underline" title={`${c.image.registryHost}/${c.image.repository}@${c.image.digest}`}>
                    {c.imageRef}
                  </Link>
                ) : (
                  <span className="block truncate font-mono" title={c.imageRef}>
                    {c.imageRef}
                  </span>
                )}
                {c.image ? null : <span className="text-muted">Digest not known yet</span>}
              </td>
              <td>{c.image && c.openFindings ? <SeverityCountsInline counts={c.openFindings} scope={{ image: c.image.id }} label={c.imageRef} /> : <span className="text-muted">—</span>}</td>
              <td className="text-xs">{sc.length > 0 ? sc.join(" · ") : <span className="text-muted">Not set (defaults apply)</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function RiskExplained({ score, factors }: { score: number; factors: RiskFactorView[] }) {
  const band = riskBand(score);
  return (
    <div className="space-y-2" data-testid="workload-risk">
      <p className="flex items-baseline gap-2">
        <span className="text-2xl font-semibold tabular-nums" aria-label={`Risk score ${score} of 100`}>
          {score}
        </span>
        <span className="text-sm text-muted">/ 100</span>
        <StatusBadge tone={band.tone} label={band.label} />
      </p>
      <p className="text-sm text-muted">
        The score adds points for open vulnerabilities that are known exploited, have a public exploit or a fix (critical and high), for privileged settings, for exposure
        outside the cluster and for runtime alerts, capped at 100. Each factor below says how many points it adds and why.
      </p>
      {factors.length === 0 ? (
        <p className="text-sm text-muted">{score === 0 ? "Nothing adds risk right now." : "No breakdown recorded for this score yet; the next risk refresh adds it."}</p>
      ) : (
        <ul className="space-y-1 text-sm" aria-label="Risk factors">
          {factors.map((f) => (
            <li key={f.key} className="flex gap-2" data-testid={`risk-factor-${f.key}`}>
              <span className="w-10 shrink-0 text-right font-mono text-xs text-muted tabular-nums">+{f.points}</span>
              <span>{f.reason || f.key}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function PolicyResults({ results, evaluatedAt }: { results: PolicyResultView[] | null; evaluatedAt: Date | null }) {
  if (results === null) {
    return (
      <p className="text-sm text-muted" data-testid="policy-results-pending">
        Not evaluated yet. The policy set is evaluated against each workload after its inventory report is processed.
      </p>
    );
  }
  const failing = results.filter((r) => r.result === "fail").length;
  return (
    <div className="space-y-2">
      <p className="text-sm text-muted">
        {results.length} {results.length === 1 ? "policy" : "policies"} evaluated {formatDateTime(evaluatedAt)}; {failing} failing.
      </p>
      {results.length === 0 ? null : (
        <table className="table">
          <caption className="sr-only">Result of every policy in scope, failing first</caption>
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">Severity</th>
              <th scope="col">Result</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {[...results]
              .sort((a, b) => Number(b.result === "fail") - Number(a.result === "fail") || a.policy.localeCompare(b.policy))
              .map((r) => {
                const res = RESULT[r.result] ?? { label: r.result, tone: "muted" as Tone };
                return (
                  <tr key={r.policy} data-testid="policy-result-row" data-result={r.result}>
                    <th scope="row" className="text-left text-sm font-medium tracking-normal text-fg normal-case">
                      <Link href={`/policies/${encodeURIComponent(r.policy)}`} className="text-accent underline">
                        {r.title || r.policy}
                      </Link>
                      <span className="block font-mono text-xs font-normal text-muted">
                        {r.policy}
                        {r.category ? ` · ${r.category}` : ""}
                      </span>
                    </th>
                    <td className="text-xs">{titleCase(r.severity)}</td>
                    <td>
                      <StatusBadge tone={res.tone} label={res.label} />
                    </td>
                    <td className="text-xs break-words">{r.message ?? <span className="text-muted">—</span>}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      )}
    </div>
  );
}
