"use client";

import { useRef, useState } from "react";
import { formatNumber } from "../format.ts";
import type { EditorError } from "./field-errors.tsx";
import { relativePath } from "./describe.ts";
import { requestPreview, type PreviewCluster, type PreviewResult } from "./preview.ts";

// "What would this policy flag?": runs the draft against the organization's current inventory on the
// server and lists the workloads it would fail, per cluster. Nothing is saved.

const MODE_EFFECT: Record<string, string> = {
  AUDIT: "audit here: recorded only",
  WARN: "warn here: admitted with a warning",
  ENFORCE: "enforce here: new deployments like these are denied",
};

function ClusterResult({ c }: { c: PreviewCluster }) {
  return (
    <details className="rounded-md border border-border" data-testid={`preview-cluster-${c.cluster}`}>
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 px-3 py-2 text-sm">
        <span className="font-medium">{c.cluster}</span>
        <span className={c.failing > 0 ? "text-danger" : "text-ok"}>
          {formatNumber(c.failing)} failing of {formatNumber(c.evaluated)}
        </span>
        {c.waived ? <span className="text-muted">{formatNumber(c.waived)} waived by exceptions</span> : null}
        {c.enforcement ? <span className="text-xs text-muted">{MODE_EFFECT[c.enforcement] ?? c.enforcement}</span> : null}
      </summary>
      {c.workloads.length === 0 ? (
        <p className="px-3 pb-3 text-sm text-muted">No workload in this cluster would fail.</p>
      ) : (
        <div className="overflow-x-auto px-3 pb-3">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Workload</th>
                <th scope="col">Violations</th>
              </tr>
            </thead>
            <tbody>
              {c.workloads.map((w) => (
                <tr key={w.id}>
                  <td className="whitespace-nowrap">
                    <span className="font-mono text-xs">
                      {w.namespace ? `${w.namespace}/` : ""}
                      {w.name}
                    </span>
                    <span className="block text-xs text-muted">{w.kind}</span>
                  </td>
                  <td>
                    <ul className="space-y-0.5 text-xs">
                      {w.violations.map((v, i) => (
                        <li key={i}>
                          {v.container ? <span className="font-mono text-muted">[{v.container}] </span> : null}
                          {v.message}
                          {v.evidence ? <span className="block text-muted">{v.evidence}</span> : null}
                          {v.path ? <code className="block font-mono text-muted">{v.path}</code> : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.truncated || c.workloads.length < c.failing ? (
            <p className="mt-2 text-xs text-muted">
              Showing {formatNumber(c.workloads.length)} of {formatNumber(c.failing)} failing workloads.
            </p>
          ) : null}
        </div>
      )}
    </details>
  );
}

export function ImpactPreview({ draft, blocked, onFieldErrors }: { draft: () => unknown; blocked: string | null; onFieldErrors: (e: EditorError[]) => void }) {
  const [result, setResult] = useState<PreviewResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const inflight = useRef<AbortController | null>(null);

  async function run() {
    inflight.current?.abort();
    const controller = new AbortController();
    inflight.current = controller;
    setLoading(true);
    setError(null);
    try {
      const outcome = await requestPreview(draft(), controller.signal);
      if (outcome.ok) {
        setResult(outcome.result);
        onFieldErrors([]);
      } else {
        setResult(null);
        setError(outcome.error);
        onFieldErrors(outcome.fields.map((f) => ({ path: relativePath(f.path), message: f.message, source: "server" })));
      }
    } catch (err) {
      if ((err as Error).name !== "AbortError") setError("The preview failed. Please try again.");
    } finally {
      if (inflight.current === controller) setLoading(false);
    }
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn" data-testid="preview-impact" disabled={loading || blocked !== null} onClick={() => void run()} aria-describedby="preview-help">
          {loading ? "Evaluating…" : "Preview impact"}
        </button>
        <p id="preview-help" className="text-xs text-muted">
          {blocked ?? "Runs this draft against the current inventory. Nothing is saved."}
        </p>
      </div>
      <div aria-live="polite" aria-busy={loading}>
        {loading ? (
          <p className="text-sm text-muted" role="status">
            Evaluating the draft against every workload…
          </p>
        ) : error ? (
          <p className="text-sm text-danger" role="alert" data-testid="preview-error">
            {error}
          </p>
        ) : result ? (
          <div className="space-y-2" data-testid="preview-result">
            <p className="text-sm">
              Would fail <strong className={result.failing > 0 ? "text-danger" : "text-ok"}>{formatNumber(result.failing)}</strong> of {formatNumber(result.evaluated)} workloads
              {result.clusters.length > 0 ? ` in ${result.clusters.length} ${result.clusters.length === 1 ? "cluster" : "clusters"}` : ""}
              <span className="text-muted"> · evaluated in {formatNumber(Math.round(result.durationMs))} ms</span>
            </p>
            {result.waived ? <p className="text-sm text-muted">{formatNumber(result.waived)} more fail but are waived by approved exceptions.</p> : null}
            {result.errors ? <p className="text-sm text-warn">{formatNumber(result.errors)} workloads could not be evaluated: the rule failed on their data (listed with the failing ones).</p> : null}
            {result.clusters.length === 0 ? <p className="text-sm text-muted">There is no inventory to evaluate yet: no cluster has reported workloads.</p> : null}
            {result.clusters.map((c) => (
              <ClusterResult key={c.cluster} c={c} />
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}
