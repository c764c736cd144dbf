import { type ImageRow } from "@bulwark/core";
import Link from "next/link";
import { formatAge, formatNumber } from "../format.ts";
import { SeverityCountsInline } from "./severity-counts.tsx";
import { SortHeader, type SortableColumn } from "./sort-header.tsx";
import { MalwareBadge, SignatureBadge } from "./image-badges.tsx";

export const IMAGE_ASC = ["repository"] as const;

export function ImagesTable({ rows, table, now }: { rows: ImageRow[]; table: SortableColumn; now: Date }) {
  return (
    <table className="table table-fixed" data-testid="images-table">
      <caption className="sr-only">Images with their open findings, signature and malware status and where they run. Column headers sort the list.</caption>
      <colgroup>
        <col className="w-[28%]" />
        <col className="w-[24%]" />
        <col className="w-[8%]" />
        <col className="w-[10%]" />
        <col className="w-[10%]" />
        <col className="w-[10%]" />
        <col className="w-[10%]" />
      </colgroup>
      <thead>
        <tr>
          <SortHeader column="repository" label="Image" table={table} />
          <SortHeader column="critical" label="Open findings" table={table} />
          <th scope="col">Fixable critical</th>
          <th scope="col">Runs in</th>
          <th scope="col">Signature</th>
          <th scope="col">Malware</th>
          <SortHeader column="lastScanned" label="Last scan" table={table} />
        </tr>
      </thead>
      <tbody>
        {rows.map((i) => {
          const ref = `${i.registryHost}/${i.repository}`;
          return (
            <tr key={i.id} data-testid="images-row" data-running={i.running}>
              <th scope="row" className="text-left text-sm font-medium tracking-normal text-fg normal-case">
                <Link href={`/images/${i.id}`} className="block truncate text-accent underline" title={`${ref}@${i.digest}`}>
                  {ref}
                </Link>
                <span className="block truncate font-mono text-xs font-normal text-muted" title={i.tags.join(", ")}>
                  {i.tags.length > 0 ? i.tags.join(", ") : i.digest.slice(0, 19)}
                </span>
              </th>
              <td>
                <SeverityCountsInline counts={i.openFindings} scope={{ image: i.id }} label={ref} />
              </td>
              <td className="tabular-nums">
                <Link
                  href={`/findings?image=${encodeURIComponent(i.id)}&severity=CRITICAL&fixable=true`}
                  className={i.fixableCritical > 0 ? "font-semibold text-[var(--sev-critical)] underline" : "text-muted underline decoration-dotted"}
                  aria-label={`${i.fixableCritical} fixable critical findings in ${ref}`}
                >
                  {formatNumber(i.fixableCritical)}
                </Link>
              </td>
              <td className="text-xs tabular-nums">{i.running ? `${formatNumber(i.workloads)} ${i.workloads === 1 ? "workload" : "workloads"}` : <span className="text-muted">Not running</span>}</td>
              <td className="text-xs">
                <SignatureBadge verified={i.signatureVerified} />
              </td>
              <td className="text-xs">
                <MalwareBadge verdict={i.malwareVerdict} />
              </td>
              <td className="text-xs text-muted">{i.lastScannedAt ? formatAge(i.lastScannedAt, now) : "never"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
