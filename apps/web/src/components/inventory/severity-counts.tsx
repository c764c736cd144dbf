import Link from "next/link";
import { formatNumber } from "../format.ts";
import { findingsHref, type FindingsScope } from "./list-url.ts";

// Open findings of a row as numbers per severity, each linking to the findings behind it. Zeros are
// shown muted (not hidden) so columns keep their width and position.

export interface Counts {
  CRITICAL: number;
  HIGH: number;
  MEDIUM: number;
  LOW: number;
  INFO: number;
  total: number;
}

export const SEVERITY_KEYS = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;
const SHORT: Record<(typeof SEVERITY_KEYS)[number], string> = { CRITICAL: "C", HIGH: "H", MEDIUM: "M", LOW: "L" };
const LONG: Record<(typeof SEVERITY_KEYS)[number], string> = { CRITICAL: "critical", HIGH: "high", MEDIUM: "medium", LOW: "low" };
const COLOR: Record<(typeof SEVERITY_KEYS)[number], string> = {
  CRITICAL: "text-[var(--sev-critical)]",
  HIGH: "text-[var(--sev-high)]",
  MEDIUM: "text-[var(--sev-medium)]",
  LOW: "text-[var(--sev-low)]",
};

/** Compact cell content: "2C 1H 0M 3L" with a total; every number is a link to the filtered findings. */
export function SeverityCountsInline({ counts, scope, label }: { counts: Counts; scope: FindingsScope; label: string }) {
  return (
    <span className="inline-flex items-baseline gap-2 whitespace-nowrap tabular-nums" data-testid="severity-counts">
      <Link href={findingsHref(scope)} className="w-12 text-right font-semibold underline decoration-dotted" title={`Open findings in ${label}`}>
        {formatNumber(counts.total)}
        <span className="sr-only"> open findings</span>
      </Link>
      {SEVERITY_KEYS.map((s) => (
        <Link key={s} href={findingsHref({ ...scope, severity: s })} className={`min-w-8 text-xs ${counts[s] > 0 ? `font-semibold ${COLOR[s]}` : "text-muted"}`} title={`${LONG[s]} open findings in ${label}`}>
          {formatNumber(counts[s])}
          <span aria-hidden="true">{SHORT[s]}</span>
          <span className="sr-only"> {LONG[s]}</span>
        </Link>
      ))}
    </span>
  );
}

/** A labelled list of counts per severity (detail pages), each linking to the findings. */
export function SeverityCountsList({ counts, scope, testId, fixable }: { counts: Counts; scope: FindingsScope; testId?: string; fixable?: Counts }) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid={testId}>
      <div className="rounded-md border border-border p-2">
        <dt className="text-xs text-muted">Open findings</dt>
        <dd className="text-xl font-semibold tabular-nums">
          <Link href={findingsHref(scope)} className="underline decoration-dotted">
            {formatNumber(counts.total)}
          </Link>
        </dd>
      </div>
      {SEVERITY_KEYS.map((s) => (
        <div key={s} className="rounded-md border border-border p-2">
          <dt className="text-xs text-muted capitalize">{LONG[s]}</dt>
          <dd className={`text-xl font-semibold tabular-nums ${counts[s] > 0 ? COLOR[s] : ""}`}>
            <Link href={findingsHref({ ...scope, severity: s })} className="underline decoration-dotted" data-testid={testId ? `${testId}-${s}` : undefined}>
              {formatNumber(counts[s])}
            </Link>
            {fixable ? (
              <span className="block text-xs font-normal text-muted">
                <Link href={findingsHref({ ...scope, severity: s, fixable: true })} className="underline decoration-dotted">
                  {formatNumber(fixable[s])} fixable
                </Link>
              </span>
            ) : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
