import { type Prisma } from "@bulwark/db";
import { type AlertPayload, readPayload } from "./payload.ts";

// A delivery as the log shows it: where it went, about which finding, how it went. The payload is the
// stored alert document, which never holds channel secrets.

export const DELIVERY_SELECT = {
  id: true,
  kind: true,
  reason: true,
  status: true,
  attempts: true,
  lastError: true,
  responseStatus: true,
  payload: true,
  createdAt: true,
  updatedAt: true,
  deliveredAt: true,
  channel: { select: { id: true, name: true, type: true } },
  finding: { select: { id: true, title: true, severity: true, type: true } },
} as const satisfies Prisma.NotificationDeliverySelect;

type Row = Prisma.NotificationDeliveryGetPayload<{ select: typeof DELIVERY_SELECT }>;

export interface NotificationDeliveryView {
  id: string;
  kind: "alert" | "test";
  reason: string;
  status: "PENDING" | "DELIVERED" | "RETRYING" | "DEAD";
  attempts: number;
  lastError: string | null;
  responseStatus: number | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
  channel: { id: string; name: string; type: "WEBHOOK" | "SLACK" | "EMAIL" };
  finding: { id: string; title: string; severity: string; type: string } | null;
  payload: AlertPayload | null;
}

export function toDeliveryView(r: Row): NotificationDeliveryView {
  return {
    id: r.id,
    kind: r.kind === "test" ? "test" : "alert",
    reason: r.reason,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    responseStatus: r.responseStatus,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deliveredAt: r.deliveredAt,
    channel: r.channel,
    finding: r.finding,
    payload: readPayload(r.payload),
  };
}
