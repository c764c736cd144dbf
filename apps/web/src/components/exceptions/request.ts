// The request form's fields and the body it sends, kept out of the client component so the server
// page (prefill from the URL) and tests can use them.

export const REQUEST_SCOPE_FIELDS = [
  { name: "advisory", label: "Advisory or CVE", placeholder: "CVE-2024-3094", hint: "Also matches the advisory's aliases." },
  { name: "policyId", label: "Policy", placeholder: "no-privileged", hint: "Also waives the policy at admission once approved." },
  { name: "rule", label: "Scanner rule", placeholder: "AVD-KSV-0017", hint: "A scanner check id or Falco rule." },
  { name: "imageRepository", label: "Image repository", placeholder: "ghcr.io/acme/api", hint: "Without tag or digest." },
  { name: "imageDigest", label: "Image digest", placeholder: "sha256:…", hint: "One exact image." },
  { name: "cluster", label: "Cluster", placeholder: "prod-eu-west-1", hint: "" },
  { name: "namespace", label: "Namespace", placeholder: "payments", hint: "" },
  { name: "workload", label: "Workload", placeholder: "checkout-api", hint: "" },
] as const;

export type RequestScopeField = (typeof REQUEST_SCOPE_FIELDS)[number]["name"];
export type FieldError = { path: string; message: string };

const DAY_MS = 24 * 3600 * 1000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The date picker's bounds: tomorrow, and the last day whose end (23:59:59 UTC) is still within
 * `maxDays` of now, so any pickable date passes the server's check.
 */
export function expiryBounds(now: Date, maxDays: number): { min: string; max: string } {
  return { min: isoDay(new Date(now.getTime() + DAY_MS)), max: isoDay(new Date(now.getTime() + (maxDays - 1) * DAY_MS)) };
}

/** The request body for the form's values: empty scope fields are left out; a date expires at the end of that UTC day. */
export function buildRequest(values: { kind: string; scope: Partial<Record<RequestScopeField, string>>; reason: string; expires: string }) {
  const scope = Object.fromEntries(Object.entries(values.scope).flatMap(([k, v]) => (typeof v === "string" && v.trim() !== "" ? [[k, v.trim()]] : [])));
  return { kind: values.kind, scope, reason: values.reason, ...(values.expires ? { expiresAt: `${values.expires}T23:59:59Z` } : {}) };
}
