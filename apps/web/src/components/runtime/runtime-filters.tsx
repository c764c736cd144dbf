import { RUNTIME_SOURCES, type RuntimeFindingsQuery, type RuntimeSeverityCounts } from "@bulwark/core";
import Link from "next/link";
import { formatNumber, titleCase } from "../format.ts";
import { RUNTIME_SOURCE_LABELS, runtimeChips, runtimeHref, severityHref } from "./links.ts";

// The Runtime list's filters: a plain GET form (works without script, survives a reload), the
// severity counts as links that narrow the list, and the active filters as removable chips.

const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;

export function SeverityCounts({ counts, q }: { counts: RuntimeSeverityCounts; q: RuntimeFindingsQuery }) {
  return (
    <nav aria-label="Runtime findings by severity" data-testid="runtime-severity-counts">
      <ul className="flex flex-wrap gap-2 text-sm">
        {SEVERITIES.map((s) => {
          const active = q.severity.includes(s);
          return (
            <li key={s}>
              <Link
                href={severityHref(q, s)}
                aria-current={active ? "true" : undefined}
                className={`inline-flex items-center gap-2 rounded-full border px-3 py-1 text-fg ${active ? "border-accent font-semibold" : "border-border"}`}
                data-testid={`runtime-count-${s}`}
              >
                {/* The colour is a cue only: some severity colours are too light for text on every theme. */}
                <span aria-hidden="true" className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: `var(--sev-${s.toLowerCase()})` }} />
                {titleCase(s)} <span className="tabular-nums">{formatNumber(counts[s])}</span>
              </Link>
            </li>
          );
        })}
        <li className="self-center text-muted" data-testid="runtime-count-total">
          {formatNumber(counts.total)} aggregate{counts.total === 1 ? "" : "s"} in all
        </li>
      </ul>
    </nav>
  );
}

function Field({ name, label, value, placeholder, list }: { name: string; label: string; value: string | undefined; placeholder?: string; list?: string }) {
  return (
    <div>
      <label htmlFor={`rt-${name}`} className="label text-xs">
        {label}
      </label>
      <input id={`rt-${name}`} name={name} type="search" defaultValue={value ?? ""} placeholder={placeholder ?? "any"} maxLength={200} list={list} className="input py-1.5" />
    </div>
  );
}

export function RuntimeFilters({ q, clusters }: { q: RuntimeFindingsQuery; clusters: string[] }) {
  const chips = runtimeChips(q);
  return (
    <div className="space-y-2">
      <form method="get" action="/runtime" role="search" aria-label="Filter runtime findings" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-5" data-testid="runtime-filters">
        {q.sort !== "lastSeen" ? <input type="hidden" name="sort" value={q.sort} /> : null}
        {q.workload ? <input type="hidden" name="workload" value={q.workload} /> : null}
        {q.severity.map((s) => (
          <input key={s} type="hidden" name="severity" value={s} />
        ))}
        <Field name="q" label="Text" value={q.q} placeholder="title or rule" />
        <Field name="cluster" label="Cluster" value={q.cluster} list="rt-cluster-options" />
        <Field name="namespace" label="Namespace" value={q.namespace} />
        <Field name="rule" label="Rule (exact)" value={q.rule} />
        <Field name="technique" label="MITRE technique" value={q.technique} placeholder="e.g. T1059" />
        <div>
          <label htmlFor="rt-source" className="label text-xs">
            Source
          </label>
          <select id="rt-source" name="source" defaultValue={q.source ?? ""} className="input py-1.5">
            <option value="">Any</option>
            {RUNTIME_SOURCES.map((s) => (
              <option key={s} value={s}>
                {RUNTIME_SOURCE_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="rt-status" className="label text-xs">
            Status
          </label>
          <select id="rt-status" name="status" defaultValue={q.status} className="input py-1.5">
            <option value="OPEN">Open</option>
            <option value="SUPPRESSED">Suppressed</option>
            <option value="RESOLVED">Resolved</option>
            <option value="ALL">Any status</option>
          </select>
        </div>
        <div>
          <label htmlFor="rt-since" className="label text-xs">
            Seen since (UTC day)
          </label>
          {/* A date-time from a link (the API takes one) stays editable as text rather than being dropped by a date picker. */}
          <input id="rt-since" name="since" type={!q.since || /^\d{4}-\d{2}-\d{2}$/.test(q.since) ? "date" : "text"} defaultValue={q.since ?? ""} className="input py-1.5" />
        </div>
        <div className="flex items-end gap-2">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          {chips.length ? (
            <Link href="/runtime" className="btn">
              Clear
            </Link>
          ) : null}
        </div>
        <datalist id="rt-cluster-options">
          {clusters.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </form>
      {chips.length ? (
        <ul aria-label="Active filters" className="flex flex-wrap gap-2 text-xs" data-testid="runtime-chips">
          {chips.map((c) => (
            <li key={c.label} className="inline-flex items-center gap-1 rounded-full border border-border px-2 py-0.5">
              {c.label}
              <Link href={c.removeHref} className="text-accent hover:underline" aria-label={`Remove filter ${c.label}`}>
                ×
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function RuntimeEmpty({ filtered, orgHasRuntime }: { filtered: boolean; orgHasRuntime: boolean }) {
  if (!orgHasRuntime) {
    return (
      <div className="p-6 text-sm" data-testid="runtime-empty" data-reason="no-data">
        <p className="font-medium">No runtime detections yet.</p>
        <p className="mt-1 text-muted">
          Runtime findings come from Falco events (through falcosidekick) and from processes outside a locked process baseline.{" "}
          <Link href="/connectors" className="text-accent underline">
            Connect Falco
          </Link>
          .
        </p>
      </div>
    );
  }
  return (
    <div className="p-6 text-sm" data-testid="runtime-empty" data-reason={filtered ? "filtered" : "none-open"}>
      <p className="font-medium">No runtime findings match{filtered ? " these filters" : ""}.</p>
      <p className="mt-1">
        <Link href="/runtime" className="text-accent underline">
          Reset filters
        </Link>{" "}
        <span className="text-muted">or</span>{" "}
        <Link href={runtimeHref({ status: "ALL" })} className="text-accent underline">
          include resolved and suppressed ones
        </Link>
        .
      </p>
    </div>
  );
}
