import Link from "next/link";
import type { ReactNode } from "react";
import { formatDateTime, truncate } from "../format.ts";
import { ACTION_STATUS, type ActionRow } from "./response-actions.ts";
import { StatusBadge } from "./status-badge.tsx";

// Response actions, newest first: what was asked of which object, why, and what the enforcement point
// reported. `cancel` renders the cancel control for a row (admins only; the page decides).

export function ActionsTable({ rows, cancel }: { rows: ActionRow[]; cancel?: (row: ActionRow) => ReactNode }) {
  return (
    <table className="table [&_td]:px-2 [&_th]:px-2" data-testid="actions-table">
      <caption className="sr-only">Runtime response actions, newest first.</caption>
      <thead>
        <tr>
          <th scope="col">Requested</th>
          <th scope="col">Cluster</th>
          <th scope="col">Target</th>
          <th scope="col">Action</th>
          <th scope="col">Policy</th>
          <th scope="col">Trigger</th>
          <th scope="col">Status</th>
          <th scope="col">Result</th>
          <th scope="col">Claimed by</th>
          {cancel ? (
            <th scope="col">
              <span className="sr-only">Cancel</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const status = ACTION_STATUS[r.status];
          return (
            <tr key={r.id} data-testid={`action-row-${r.id}`} data-status={r.status}>
              <td className="whitespace-nowrap tabular-nums">{formatDateTime(r.createdAt)}</td>
              <td>{r.cluster}</td>
              <th scope="row" className="font-normal">
                <span className="font-mono text-xs" title={r.reason}>
                  {r.target}
                </span>
              </th>
              <td className="whitespace-nowrap">{r.actionLabel}</td>
              <td>
                <Link href={`/policies/${encodeURIComponent(r.policy)}`} className="text-accent underline">
                  {r.policy}
                </Link>
              </td>
              <td>
                {r.finding ? (
                  <Link href={`/findings/${encodeURIComponent(r.finding.id)}`} className="text-accent underline" title={r.finding.title}>
                    {truncate(r.finding.title, 40)}
                  </Link>
                ) : (
                  <span className="text-muted">—</span>
                )}
              </td>
              <td>
                <StatusBadge tone={status.tone} label={status.label} title={status.help} testId={`action-status-${r.id}`} />
              </td>
              <td className="max-w-xs text-xs">{r.result ? <span title={r.result}>{truncate(r.result, 80)}</span> : <span className="text-muted">—</span>}</td>
              <td className="text-xs">
                {r.claimedBy ? (
                  <>
                    {r.claimedBy}
                    {r.claimedAt ? <span className="block text-muted tabular-nums">{formatDateTime(r.claimedAt)}</span> : null}
                  </>
                ) : (
                  <span className="text-muted">Not claimed</span>
                )}
              </td>
              {cancel ? <td>{r.cancellable ? cancel(r) : null}</td> : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A plain GET form: filters live in the URL, work without JavaScript and can be shared. */
export function ActionFiltersForm({ filters, clusters, policies }: { filters: { status?: string; cluster?: string; policy?: string }; clusters: string[]; policies: string[] }) {
  const filtered = Object.values(filters).some((v) => v !== undefined);
  return (
    <form method="get" action="/enforcement/actions" className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(3,minmax(0,1fr))_auto]" role="search" aria-label="Filter response actions" data-testid="action-filters">
      <div>
        <label htmlFor="a-status" className="label">
          Status
        </label>
        <select id="a-status" name="status" defaultValue={filters.status ?? ""} className="input">
          <option value="">Any</option>
          {Object.entries(ACTION_STATUS).map(([value, s]) => (
            <option key={value} value={value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="a-cluster" className="label">
          Cluster
        </label>
        <input id="a-cluster" name="cluster" list="a-cluster-options" defaultValue={filters.cluster ?? ""} maxLength={253} className="input" placeholder="any" />
        <datalist id="a-cluster-options">
          {clusters.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </div>
      <div>
        <label htmlFor="a-policy" className="label">
          Policy
        </label>
        <input id="a-policy" name="policy" list="a-policy-options" defaultValue={filters.policy ?? ""} maxLength={100} className="input" placeholder="any" />
        <datalist id="a-policy-options">
          {policies.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </div>
      <div className="flex items-end gap-2">
        <button type="submit" className="btn btn-primary">
          Apply
        </button>
        {filtered ? (
          <Link href="/enforcement/actions" className="btn">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
