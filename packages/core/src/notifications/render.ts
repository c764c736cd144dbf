import { createHmac, timingSafeEqual } from "node:crypto";
import { type AlertFinding, type AlertPayload, type SentPayload } from "./payload.ts";

// How each channel type says the same alert: a signed JSON document (webhook), Block Kit (Slack and
// compatible incoming webhooks), and a plain-text mail with a simple HTML part.

export const SIGNATURE_HEADER = "X-Bulwark-Signature";
export const TIMESTAMP_HEADER = "X-Bulwark-Timestamp";
export const DELIVERY_HEADER = "X-Bulwark-Delivery";

/** `sha256=` + hex HMAC-SHA256 of "<timestamp>.<body>": the timestamp is signed so a captured request cannot be replayed later. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does (docs/notifications.md shows the same in Node and Python). */
export function verifyWebhookSignature(secret: string, timestamp: string, body: string, header: string, now = Date.now(), toleranceSeconds = 300): boolean {
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const got = Buffer.from(header);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

export function renderWebhook(payload: AlertPayload, deliveryId: string, secret: string, now: Date, extraHeaders: Record<string, string> = {}): WebhookRequest {
  const sent: SentPayload = { ...payload, deliveryId, sentAt: now.toISOString() };
  const body = JSON.stringify(sent);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    body,
    headers: {
      ...extraHeaders,
      "content-type": "application/json",
      [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      [TIMESTAMP_HEADER]: timestamp,
      [DELIVERY_HEADER]: deliveryId,
    },
  };
}

/** "openssl 3.0.7 → fixed in 3.0.8", or "… (no fix yet)": what the on-call engineer acts on. */
function packageLine(f: AlertFinding): string | null {
  if (!f.package) return null;
  const installed = `${f.package.name}${f.package.version ? ` ${f.package.version}` : ""}`;
  return `${installed} ${f.package.fixedVersion ? `→ fixed in ${f.package.fixedVersion}` : "(no fix yet)"}`;
}

const REASON_TEXT: Record<string, string> = { created: "New", reopened: "Reopened", escalated: "Escalated", test: "Test" };
const reasonText = (reason: string) => REASON_TEXT[reason] ?? reason;

function where(f: AlertFinding): string {
  const workload = f.workload ? `${f.workload.kind ? `${f.workload.kind} ` : ""}${f.workload.name}` : null;
  return [f.cluster, f.namespace, workload].filter((p): p is string => p !== null).join(" / ");
}

// Slack mrkdwn: &, < and > are control characters; everything else is literal.
const mrkdwn = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

export function renderSlack(payload: AlertPayload): SlackMessage {
  const f = payload.finding;
  const place = where(f);
  const text = clip(`[Bulwark] ${f.severity} ${f.title}${place ? ` — ${place}` : ""}`, 3000);
  const title = f.url ? `<${f.url}|${mrkdwn(clip(f.title, 200))}>` : mrkdwn(clip(f.title, 200));
  const fields = [
    ["Severity", f.severity],
    ["Type", f.type],
    ["Rule", f.rule],
    ["Where", place || "—"],
    ...(f.image ? [["Image", f.image]] : []),
    ...(packageLine(f) ? [["Package", packageLine(f)!]] : []),
    ...(f.cvss != null ? [["CVSS", f.cvss.toFixed(1)]] : []),
    ["Occurrences", String(f.occurrences)],
    ...(f.mitre.length ? [["MITRE ATT&CK", f.mitre.join(", ")]] : []),
  ].map(([k, v]) => ({ type: "mrkdwn", text: clip(`*${k}*\n${mrkdwn(v!)}`, 2000) }));
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${reasonText(payload.reason)} ${f.severity.toLowerCase()} alert* · ${title}` } },
      { type: "section", fields: fields.slice(0, 10) },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: mrkdwn(`${payload.organization.name} · first seen ${f.firstSeen} · last seen ${f.lastSeen}${payload.kind === "test" ? " · test notification" : ""}`) }],
      },
    ],
  };
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

export function renderEmail(payload: AlertPayload): EmailMessage {
  const f = payload.finding;
  // Header injection: a title is one line whatever the finding says.
  const subject = clip(`[Bulwark] ${f.severity} ${f.title}`.replace(/[\r\n\t]+/g, " "), 250);
  const rows: [string, string][] = [
    ["Why", `${reasonText(payload.reason)} finding`],
    ["Severity", f.severity],
    ["Type", f.type],
    ["Rule", f.rule],
    ["Cluster", f.cluster ?? "—"],
    ["Namespace", f.namespace ?? "—"],
    ["Workload", f.workload ? `${f.workload.kind ? `${f.workload.kind} ` : ""}${f.workload.name}` : "—"],
    ["Image", f.image ?? "—"],
    ...(packageLine(f) ? ([["Package", packageLine(f)!]] as [string, string][]) : []),
    ...(f.cvss != null ? ([["CVSS", f.cvss.toFixed(1)]] as [string, string][]) : []),
    ["MITRE ATT&CK", f.mitre.length ? f.mitre.join(", ") : "—"],
    ["Occurrences", String(f.occurrences)],
    ["First seen", f.firstSeen],
    ["Last seen", f.lastSeen],
  ];
  const text = [
    f.title,
    "",
    ...rows.map(([k, v]) => `${k}: ${v}`),
    "",
    ...(f.url ? [`Open in Bulwark: ${f.url}`] : []),
    payload.kind === "test" ? "This is a test notification." : `Organization: ${payload.organization.name}`,
  ].join("\n");
  const body = [
    `<h1 style="font-size:18px">${html(f.title)}</h1>`,
    `<table cellpadding="4" style="border-collapse:collapse">${rows.map(([k, v]) => `<tr><th align="left" scope="row">${html(k)}</th><td>${html(v)}</td></tr>`).join("")}</table>`,
    f.url ? `<p><a href="${html(f.url)}">Open in Bulwark</a></p>` : "",
    `<p style="color:#666">${payload.kind === "test" ? "This is a test notification." : `Organization: ${html(payload.organization.name)}`}</p>`,
  ].join("\n");
  return { subject, text, html: `<!doctype html><html><body>${body}</body></html>` };
}
