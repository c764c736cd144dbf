import Link from "next/link";
import { formatNumber } from "../format.ts";

export interface PracticeSummary {
  key: string;
  label: string;
  compliant: number;
  total: number;
  /** The practice cannot be measured yet (e.g. no trusted registries configured). */
  notConfigured?: boolean;
  href: string;
}

function tone(pct: number): string {
  if (pct >= 90) return "bg-ok";
  if (pct >= 60) return "bg-warn";
  return "bg-danger";
}

/** Each practice as % of live workloads, with the bar's value also in text (colour is never the only signal). */
export function PracticesSummary({ practices }: { practices: PracticeSummary[] }) {
  return (
    <ul className="mt-3 space-y-3" data-testid="practices">
      {practices.map((p) => {
        const pct = p.total === 0 ? 0 : Math.round((100 * p.compliant) / p.total);
        return (
          <li key={p.key} data-testid={`practice-${p.key}`}>
            <div className="flex items-baseline justify-between text-sm">
              <Link href={p.href} className="text-accent hover:underline">
                {p.label}
              </Link>
              {p.notConfigured ? (
                <span className="text-xs text-muted">not configured</span>
              ) : (
                <span className="tabular-nums">
                  <span className="font-semibold" data-testid={`practice-${p.key}-pct`}>
                    {pct}%
                  </span>{" "}
                  <span className="text-xs text-muted">
                    {formatNumber(p.compliant)}/{formatNumber(p.total)}
                  </span>
                </span>
              )}
            </div>
            <div className="mt-1 h-1.5 w-full rounded bg-surface-2" aria-hidden="true">
              {p.notConfigured ? null : <div className={`h-1.5 rounded ${tone(pct)}`} style={{ width: `${pct}%` }} />}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
