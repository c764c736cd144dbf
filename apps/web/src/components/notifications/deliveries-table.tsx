import Link from "next/link";
import type { ActionResult } from "../../server/actions.ts";
import { StatusBadge } from "../enforcement/status-badge.tsx";
import { formatDateTime } from "../format.ts";
import { CHANNEL_TYPE_LABELS, type ChannelKind } from "./form-model.ts";
import { DELIVERY_STATUS, type DeliveryStatus, REASON_LABELS } from "./labels.ts";
import { RetryDeliveryButton } from "./retry-button.tsx";

// The delivery log: every alert and test-send per channel, with attempts, the last error and, for
// dead deliveries, a retry (admins).

export interface DeliveryRow {
  id: string;
  kind: "alert" | "test";
  reason: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  responseStatus: number | null;
  createdAt: Date | string;
  deliveredAt: Date | string | null;
  channel: { id: string; name: string; type: ChannelKind };
  finding: { id: string; title: string; severity: string } | null;
}

export function DeliveriesTable({ rows, retry }: { rows: DeliveryRow[]; retry?: (id: string) => Promise<ActionResult<{ id: string }>> }) {
  return (
    <table className="table" data-testid="deliveries-table">
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Channel</th>
          <th scope="col">Alert</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Response</th>
          <th scope="col">Last error</th>
          {retry ? <th scope="col">Retry</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => {
          const status = DELIVERY_STATUS[d.status];
          const retryable = d.kind === "alert" && (d.status === "DEAD" || d.status === "RETRYING");
          return (
            <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
              <td className="whitespace-nowrap">{formatDateTime(d.createdAt)}</td>
              <th scope="row" className="text-left align-top font-normal text-fg normal-case">
                {d.channel.name}
                <span className="block text-xs text-muted">{CHANNEL_TYPE_LABELS[d.channel.type]}</span>
              </th>
              <td>
                {d.finding ? (
                  <Link href={`/findings/${encodeURIComponent(d.finding.id)}`} className="text-accent underline">
                    {d.finding.severity} · {d.finding.title}
                  </Link>
                ) : d.kind === "test" ? (
                  <span>Test notification</span>
                ) : (
                  <span className="text-muted">Finding deleted</span>
                )}
                <span className="block text-xs text-muted">{REASON_LABELS[d.reason] ?? d.reason}</span>
              </td>
              <td>
                <StatusBadge tone={status.tone} label={status.label} />
                {d.deliveredAt ? <span className="block text-xs text-muted">{formatDateTime(d.deliveredAt)}</span> : null}
              </td>
              <td className="tabular-nums">{d.attempts}</td>
              <td className="tabular-nums">{d.responseStatus ?? "—"}</td>
              <td className="max-w-xs text-xs break-words">{d.lastError ?? <span className="text-muted">—</span>}</td>
              {retry ? <td>{retryable ? <RetryDeliveryButton id={d.id} retry={retry} label={`Retry the delivery to ${d.channel.name}`} /> : null}</td> : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
