"use client";

import { useState } from "react";
import { formatDateTime } from "../../../components/format.ts";

export interface AuditRow {
  id: string;
  createdAt: string;
  actorType: string;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  metadata: unknown;
}

export function AuditTable({ initialRows, initialCursor }: { initialRows: AuditRow[]; initialCursor: string | null }) {
  const [rows, setRows] = useState(initialRows);
  const [cursor, setCursor] = useState(initialCursor);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function loadMore() {
    if (!cursor) return;
    setLoading(true);
    setError(null);
    try {
      const res = await fetch(`/api/v1/audit-log?limit=50&cursor=${encodeURIComponent(cursor)}`, { headers: { accept: "application/json" } });
      const body = (await res.json()) as { entries?: AuditRow[]; nextCursor?: string | null; detail?: string };
      if (!res.ok || !body.entries) throw new Error(body.detail ?? "Could not load more entries");
      setRows((r) => [...r, ...body.entries!]);
      setCursor(body.nextCursor ?? null);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not load more entries");
    } finally {
      setLoading(false);
    }
  }

  if (rows.length === 0) return <p className="card text-sm text-muted">No audit entries yet.</p>;

  return (
    <div className="card overflow-x-auto p-0">
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="whitespace-nowrap tabular-nums">{formatDateTime(r.createdAt)}</td>
              <td>
                {r.actorLabel}
                {r.actorType !== "USER" ? <span className="ml-1 text-xs text-muted">({r.actorType.toLowerCase()})</span> : null}
              </td>
              <td className="font-mono text-xs">{r.action}</td>
              <td>
                {r.targetType}
                {r.targetId ? <span className="block font-mono text-xs text-muted">{r.targetId}</span> : null}
              </td>
              <td className="max-w-md">
                <code className="block font-mono text-xs break-all text-muted">{JSON.stringify(r.metadata)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex items-center gap-3 p-3">
        {cursor ? (
          <button type="button" className="btn" onClick={() => void loadMore()} disabled={loading}>
            {loading ? "Loading…" : "Load more"}
          </button>
        ) : (
          <p className="text-sm text-muted">End of the log.</p>
        )}
        {error ? (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
