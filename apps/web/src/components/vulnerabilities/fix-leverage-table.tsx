import Link from "next/link";
import { formatNumber } from "../format.ts";

// "Fix first": upgrades ranked by what they remove (critical first, then findings, then workloads).
// The package/image switch is a pair of links so the choice lives in the URL.

export type FixKind = "package" | "image";

export interface FixLeverageRow {
  kind: FixKind;
  target: string;
  ecosystem: string | null;
  from: string[];
  to: string;
  findings: number;
  critical: number;
  high: number;
  images: number;
  workloads: number;
}

export function fixHref(kind: FixKind, cluster: string | undefined): string {
  const p = new URLSearchParams();
  if (kind !== "package") p.set("fix", kind);
  if (cluster) p.set("cluster", cluster);
  const q = p.toString();
  return q ? `/vulnerabilities?${q}` : "/vulnerabilities";
}

export function FixKindToggle({ kind, cluster }: { kind: FixKind; cluster: string | undefined }) {
  const options: { value: FixKind; label: string }[] = [
    { value: "package", label: "By package" },
    { value: "image", label: "By image" },
  ];
  return (
    <nav aria-label="Group fixes" className="inline-flex rounded-md border border-border p-0.5 text-sm" data-testid="fix-kind-toggle">
      {options.map((o) => {
        const active = o.value === kind;
        return (
          <Link
            key={o.value}
            href={fixHref(o.value, cluster)}
            aria-current={active ? "page" : undefined}
            className={`rounded px-3 py-1 ${active ? "bg-accent font-semibold text-accent-fg" : "text-muted hover:text-fg"}`}
            data-testid={`fix-kind-${o.value}`}
          >
            {o.label}
          </Link>
        );
      })}
    </nav>
  );
}

function FromTo({ row }: { row: FixLeverageRow }) {
  const shown = row.from.slice(0, 3);
  return (
    <span className="font-mono text-xs">
      <span className="text-muted">{shown.join(", ")}</span>
      {row.from.length > shown.length ? <span className="text-muted"> +{row.from.length - shown.length}</span> : null}
      <span aria-hidden="true"> → </span>
      <span className="sr-only"> upgrade to </span>
      <span className="font-semibold">{row.to}</span>
    </span>
  );
}

export function FixLeverageTable({ rows, kind }: { rows: FixLeverageRow[]; kind: FixKind }) {
  if (rows.length === 0) {
    return (
      <p className="px-4 pb-4 text-sm text-muted" data-testid="fix-leverage-empty" data-kind={kind}>
        {kind === "package"
          ? "No open vulnerability has a fixed version yet: nothing to upgrade for now."
          : "No running image has a newer scanned image of the same repository with fewer vulnerabilities."}
      </p>
    );
  }
  return (
    <table className="table" data-testid="fix-leverage-table" data-kind={kind}>
      <thead>
        <tr>
          <th scope="col">{kind === "package" ? "Package" : "Image repository"}</th>
          <th scope="col">Upgrade</th>
          <th scope="col" className="text-right">
            Removes
          </th>
          <th scope="col" className="text-right">
            Critical
          </th>
          <th scope="col" className="text-right">
            High
          </th>
          <th scope="col" className="text-right">
            Images
          </th>
          <th scope="col" className="text-right">
            Workloads
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.ecosystem ?? ""}/${r.target}`} data-testid={`fix-row-${r.target}`}>
            <th scope="row" className="text-left align-top text-sm font-medium tracking-normal text-fg normal-case">
              <span className="break-all">{r.target}</span>
              {r.ecosystem ? <span className="block text-xs font-normal text-muted">{r.ecosystem}</span> : null}
            </th>
            <td>
              <FromTo row={r} />
            </td>
            <td className="text-right tabular-nums">
              {formatNumber(r.findings)} <span className="text-xs text-muted">{r.findings === 1 ? "finding" : "findings"}</span>
            </td>
            <td className={`text-right tabular-nums ${r.critical > 0 ? "font-semibold text-[var(--sev-critical)]" : "text-muted"}`}>{formatNumber(r.critical)}</td>
            <td className={`text-right tabular-nums ${r.high > 0 ? "font-semibold text-[var(--sev-high)]" : "text-muted"}`}>{formatNumber(r.high)}</td>
            <td className="text-right tabular-nums">{formatNumber(r.images)}</td>
            <td className="text-right tabular-nums">{formatNumber(r.workloads)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
