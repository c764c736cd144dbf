import Link from "next/link";
import { formatDateTime, formatNumber, truncate } from "../format.ts";
import { ExceptionFlags, ExceptionKind, ExceptionStateBadge } from "./badges.tsx";
import { scopeEntries } from "./labels.ts";

// The exception list. Each row says what it covers, why, who asked, how many findings it matches now
// and whether that number deserves a second look.

export interface ExceptionRow {
  id: string;
  kind: string;
  state: string;
  scope: Record<string, unknown>;
  reason: string;
  requestedBy: { email: string } | null;
  createdAt: Date;
  expiresAt: Date | null;
  matchCount: number;
  flags: readonly string[];
}

export function ExceptionsTable({ rows }: { rows: ExceptionRow[] }) {
  return (
    <table className="table" data-testid="exceptions-table">
      <thead>
        <tr>
          <th scope="col">Scope</th>
          <th scope="col">Kind</th>
          <th scope="col">State</th>
          <th scope="col" className="text-right">
            Matches
          </th>
          <th scope="col">Reason</th>
          <th scope="col">Requested</th>
          <th scope="col">Expires</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={e.id} data-testid={`exception-row-${e.id}`} data-state={e.state}>
            <th scope="row" className="min-w-56 text-left align-top text-sm font-normal tracking-normal text-fg normal-case">
              <Link href={`/exceptions/${e.id}`} className="text-accent hover:underline">
                <ul className="space-y-0.5">
                  {scopeEntries(e.scope).map(([field, label, value]) => (
                    <li key={field}>
                      <span className="text-xs text-muted">{label}</span> <span className="font-mono text-xs break-all">{value}</span>
                    </li>
                  ))}
                </ul>
              </Link>
            </th>
            <td>
              <ExceptionKind kind={e.kind} />
            </td>
            <td>
              <ExceptionStateBadge state={e.state} />
            </td>
            <td className="text-right">
              <span className="tabular-nums" data-testid={`match-count-${e.id}`}>
                {formatNumber(e.matchCount)}
              </span>
              {e.flags.length ? (
                <span className="mt-1 flex justify-end">
                  <ExceptionFlags flags={e.flags} idSuffix={e.id} />
                </span>
              ) : null}
            </td>
            <td className="max-w-xs text-sm" title={e.reason}>
              {truncate(e.reason, 120)}
            </td>
            <td className="text-xs">
              <span className="block">{e.requestedBy?.email ?? "—"}</span>
              <span className="text-muted whitespace-nowrap">{formatDateTime(e.createdAt)}</span>
            </td>
            <td className="text-xs whitespace-nowrap">{e.expiresAt ? formatDateTime(e.expiresAt) : "Never"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
