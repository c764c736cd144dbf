import { StatusBadge } from "../enforcement/status-badge.tsx";
import { riskBand, type RiskFactorView } from "./risk.ts";

// The riskiest workloads, each score explained by its factors (points and the reason in words), so a
// number is never shown without why.

export interface RiskyWorkloadRow {
  id: string;
  kind: string;
  name: string;
  cluster: string;
  namespace: string;
  riskScore: number;
  factors: RiskFactorView[];
}

export function RiskyWorkloads({ workloads }: { workloads: RiskyWorkloadRow[] }) {
  if (workloads.length === 0) {
    return (
      <p className="px-4 pb-4 text-sm text-muted" data-testid="risky-workloads-empty">
        No workload carries a risk score yet. Scores are computed by the worker from open vulnerabilities, exploit evidence, privileges, exposure and runtime
        alerts.
      </p>
    );
  }
  return (
    <ol className="divide-y divide-border" data-testid="risky-workloads">
      {workloads.map((w, i) => {
        const band = riskBand(w.riskScore);
        return (
          <li key={w.id} className="px-4 py-3" data-testid={`risky-workload-${w.name}`}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p className="min-w-0">
                <span className="mr-2 text-xs text-muted tabular-nums">{i + 1}.</span>{" "}
                <span className="font-medium break-all">{w.name}</span>{" "}
                <span className="text-xs text-muted">
                  {w.kind} · {w.cluster}/{w.namespace}
                </span>
              </p>
              <p className="flex items-baseline gap-2">
                <span className="text-lg font-semibold tabular-nums" aria-label={`Risk score ${w.riskScore} of 100`} data-testid={`risk-score-${w.name}`}>
                  {w.riskScore}
                </span>
                <StatusBadge tone={band.tone} label={band.label} />
              </p>
            </div>
            {w.factors.length > 0 ? (
              <ul className="mt-1 space-y-0.5 text-sm" aria-label={`Risk factors of ${w.name}`}>
                {w.factors.map((f) => (
                  <li key={f.key} className="flex gap-2" data-testid={`risk-factor-${f.key}`}>
                    <span className="w-10 shrink-0 text-right font-mono text-xs text-muted tabular-nums">+{f.points}</span>
                    <span>{f.reason}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-1 text-xs text-muted">No breakdown recorded for this score yet; the next risk refresh adds it.</p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
