import type { Tone } from "../enforcement/status.ts";

// Words for channel and delivery states; the UI never relies on colour alone.

export type DeliveryStatus = "PENDING" | "DELIVERED" | "RETRYING" | "DEAD";

export const DELIVERY_STATUS: Record<DeliveryStatus, { label: string; tone: Tone }> = {
  PENDING: { label: "Pending", tone: "muted" },
  DELIVERED: { label: "Delivered", tone: "ok" },
  RETRYING: { label: "Retrying", tone: "warn" },
  DEAD: { label: "Dead", tone: "danger" },
};

export const REASON_LABELS: Record<string, string> = { created: "New finding", reopened: "Reopened", escalated: "Severity rose", test: "Test send" };

/** Where a channel sends, from its public config (masked URL, SMTP host and recipients). */
export function channelTarget(type: string, config: Record<string, unknown>): string {
  if (type === "WEBHOOK") {
    const names = Array.isArray(config.headerNames) ? (config.headerNames as string[]) : [];
    return `${String(config.url ?? "")}${names.length ? ` (+ headers ${names.join(", ")})` : ""}`;
  }
  if (type === "SLACK") return String(config.webhookUrl ?? "");
  const to = Array.isArray(config.to) ? (config.to as string[]) : [];
  const recipients = to.length <= 2 ? to.join(", ") : `${to.slice(0, 2).join(", ")} and ${to.length - 2} more`;
  return `${recipients} via ${String(config.host ?? "")}:${String(config.port ?? "")} (${String(config.security ?? "")})`;
}
