"use client";

import Link from "next/link";
import { Fragment, useState } from "react";
import { formatDateTime, truncate } from "../format.ts";
import { type DecisionResult, type DecisionRow, RESULT_LABELS, shortUser } from "./decisions.ts";
import { StatusBadge } from "./status-badge.tsx";
import type { Tone } from "./status.ts";

const RESULT_TONE: Record<DecisionResult, Tone> = { allowed: "ok", warned: "warn", denied: "danger", "break-glass": "warn" };

const COLUMNS = 10;

function objectName(r: DecisionRow): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

function Detail({ row }: { row: DecisionRow }) {
  return (
    <dl className="grid max-w-4xl gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
      <dt className="text-muted">Object</dt>
      <dd>
        {row.kind} <span className="font-mono text-xs">{objectName(row) || "—"}</span> ({row.operation})
      </dd>
      <dt className="text-muted">Result</dt>
      <dd>
        {RESULT_LABELS[row.result]}
        {row.result === "break-glass" ? " (admitted past denying policies)" : null}
        {row.result === "denied" && row.warned ? ", with warnings" : null}
      </dd>
      <dt className="text-muted">Message</dt>
      <dd className="break-words whitespace-pre-wrap">{row.message ?? "—"}</dd>
      <dt className="text-muted">Failed policies</dt>
      <dd>{row.policies.length === 0 ? "None" : row.policies.join(", ")}</dd>
      {row.breakGlass ? (
        <>
          <dt className="text-muted">Break-glass reason</dt>
          <dd className="break-words whitespace-pre-wrap" data-testid="break-glass-reason">
            {row.breakGlass.reason || "—"}
          </dd>
          <dt className="text-muted">Bypass expires</dt>
          <dd className="tabular-nums">{formatDateTime(row.breakGlass.expiresAt)}</dd>
          <dt className="text-muted">Bypassed policies</dt>
          <dd>{row.breakGlass.policies.length === 0 ? "—" : row.breakGlass.policies.join(", ")}</dd>
        </>
      ) : null}
      <dt className="text-muted">User</dt>
      <dd>
        <span className="font-mono text-xs">{row.username ?? "—"}</span>
        {row.groups.length > 0 ? <span className="block text-xs text-muted">groups: {row.groups.join(", ")}</span> : null}
      </dd>
      <dt className="text-muted">Enforcement point</dt>
      <dd>{row.enforcementPoint ?? "Central admission endpoint"}</dd>
      <dt className="text-muted">Request uid</dt>
      <dd className="font-mono text-xs break-all">{row.uid ?? "—"}</dd>
      <dt className="text-muted">Decided / received</dt>
      <dd className="tabular-nums">
        {formatDateTime(row.decidedAt)} / {formatDateTime(row.receivedAt)}
      </dd>
    </dl>
  );
}

export function DecisionsTable({ rows }: { rows: DecisionRow[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <table className="table [&_td]:px-2 [&_th]:px-2" data-testid="decisions-table">
      <caption className="sr-only">Admission decisions, newest first. Use the details button on a row to see the full message and break-glass details.</caption>
      <thead>
        <tr>
          <th scope="col">
            <span className="sr-only">Details</span>
          </th>
          <th scope="col">Time</th>
          <th scope="col">Cluster</th>
          <th scope="col">Namespace</th>
          <th scope="col">Object</th>
          <th scope="col">Operation</th>
          <th scope="col">Result</th>
          <th scope="col">Policies</th>
          <th scope="col">User</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const expanded = open.has(r.id);
          const detailId = `decision-detail-${r.id}`;
          // "2026-11-29 10:00 UTC" on two lines keeps the table narrow.
          const [day, ...rest] = formatDateTime(r.decidedAt).split(" ");
          const clock = rest.join(" ");
          return (
            <Fragment key={r.id}>
              <tr data-testid={`decision-row-${r.uid ?? r.id}`} data-result={r.result}>
                <td>
                  <button
                    type="button"
                    className="btn px-2 py-0.5 text-xs"
                    aria-expanded={expanded}
                    aria-controls={expanded ? detailId : undefined}
                    aria-label={`${expanded ? "Hide" : "Show"} details for ${r.kind} ${objectName(r)}`}
                    onClick={() => toggle(r.id)}
                  >
                    <span aria-hidden="true">{expanded ? "▾" : "▸"}</span>
                  </button>
                </td>
                <td className="whitespace-nowrap tabular-nums">
                  <time dateTime={r.decidedAt}>
                    {day}
                    <span className="block text-xs text-muted">{clock}</span>
                  </time>
                </td>
                <td className="whitespace-nowrap">{r.cluster ?? <span className="text-muted">—</span>}</td>
                <td className="font-mono text-xs">{r.namespace || <span className="text-muted">(cluster)</span>}</td>
                <td>
                  {r.kind}
                  <span className="block font-mono text-xs break-all text-muted">{r.name}</span>
                </td>
                <td className="text-xs">{r.operation}</td>
                <td>
                  <StatusBadge tone={RESULT_TONE[r.result]} label={RESULT_LABELS[r.result]} testId="decision-result" />
                </td>
                <td className="text-xs whitespace-nowrap">
                  {r.policies.length === 0 ? (
                    <span className="text-muted">—</span>
                  ) : (
                    <ul>
                      {r.policies.map((p) => (
                        <li key={p}>
                          <Link href={`/enforcement/decisions?policy=${encodeURIComponent(p)}`} className="font-mono text-accent underline" title={`Decisions in which ${p} failed`}>
                            {p}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="font-mono text-xs">
                  {r.username ? (
                    <span className="block max-w-36 truncate" title={r.username}>
                      {shortUser(r.username)}
                    </span>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </td>
                <td className="max-w-sm min-w-44 text-xs" title={r.message ?? undefined}>
                  {r.message ? truncate(r.message, 72) : <span className="text-muted">—</span>}
                </td>
              </tr>
              {expanded ? (
                <tr id={detailId} data-testid={`decision-detail-${r.uid ?? r.id}`}>
                  <td colSpan={COLUMNS} className="bg-surface-2">
                    <Detail row={r} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
