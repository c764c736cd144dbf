// The channel form's state and how it becomes an API body. Pure, so the mapping (what is sent on
// create, what an edit leaves untouched, which field a server error belongs to) is tested directly.

export const CHANNEL_TYPE_LABELS = { WEBHOOK: "Webhook (signed JSON)", SLACK: "Slack incoming webhook", EMAIL: "Email (SMTP)" } as const;
export type ChannelKind = keyof typeof CHANNEL_TYPE_LABELS;
export const SEVERITY_OPTIONS = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;
export const FINDING_TYPE_OPTIONS = ["RUNTIME", "POLICY_VIOLATION", "VULNERABILITY", "MISCONFIGURATION", "SECRET", "MALWARE"] as const;
export type Security = "tls" | "starttls" | "none";

export interface ChannelFormValues {
  name: string;
  type: ChannelKind;
  enabled: boolean;
  url: string;
  secret: string;
  regenerateSecret: boolean;
  headers: string;
  clearHeaders: boolean;
  webhookUrl: string;
  host: string;
  port: string;
  security: Security;
  username: string;
  password: string;
  clearPassword: boolean;
  from: string;
  to: string;
  minSeverity: string;
  types: string[];
  clusters: string;
  policies: string;
}

/** What the form knows of a stored channel (its public view). */
export interface StoredChannel {
  id: string;
  name: string;
  type: ChannelKind;
  enabled: boolean;
  config: Record<string, unknown>;
  routing: { minSeverity?: string | undefined; types?: string[] | undefined; clusters?: string[] | undefined; policies?: string[] | undefined };
}

export function emptyForm(): ChannelFormValues {
  return {
    name: "",
    type: "WEBHOOK",
    enabled: true,
    url: "",
    secret: "",
    regenerateSecret: false,
    headers: "",
    clearHeaders: false,
    webhookUrl: "",
    host: "",
    port: "587",
    security: "starttls",
    username: "",
    password: "",
    clearPassword: false,
    from: "",
    to: "",
    minSeverity: "",
    types: [],
    clusters: "",
    policies: "",
  };
}

const text = (v: unknown) => (typeof v === "string" ? v : "");

/** Prefilled from the public view: secret fields stay empty (blank means "keep"). */
export function formFromChannel(c: StoredChannel): ChannelFormValues {
  const cfg = c.config;
  return {
    ...emptyForm(),
    name: c.name,
    type: c.type,
    enabled: c.enabled,
    host: text(cfg.host),
    port: typeof cfg.port === "number" ? String(cfg.port) : "587",
    security: cfg.security === "tls" || cfg.security === "none" ? cfg.security : "starttls",
    username: text(cfg.username),
    from: text(cfg.from),
    to: Array.isArray(cfg.to) ? cfg.to.filter((t): t is string => typeof t === "string").join("\n") : "",
    minSeverity: c.routing.minSeverity ?? "",
    types: c.routing.types ?? [],
    clusters: (c.routing.clusters ?? []).join("\n"),
    policies: (c.routing.policies ?? []).join("\n"),
  };
}

/** Comma- or newline-separated, trimmed, empties dropped. */
export function splitList(s: string): string[] {
  return s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter((x) => x !== "");
}

/** "Name: value" lines; a line without a colon is sent as a name so the server names it in its error. */
export function parseHeaders(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of s.split("\n")) {
    if (line.trim() === "") continue;
    const i = line.indexOf(":");
    if (i < 0) out[line.trim()] = "";
    else out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

function routingOf(v: ChannelFormValues) {
  return {
    ...(v.minSeverity ? { minSeverity: v.minSeverity } : {}),
    types: v.types,
    clusters: splitList(v.clusters),
    policies: splitList(v.policies),
  };
}

export function buildCreateInput(v: ChannelFormValues): Record<string, unknown> {
  const config =
    v.type === "WEBHOOK"
      ? { url: v.url.trim(), ...(v.secret ? { secret: v.secret } : {}), ...(v.headers.trim() ? { headers: parseHeaders(v.headers) } : {}) }
      : v.type === "SLACK"
        ? { webhookUrl: v.webhookUrl.trim() }
        : {
            host: v.host.trim(),
            port: v.port.trim(),
            security: v.security,
            from: v.from.trim(),
            to: splitList(v.to),
            ...(v.username.trim() ? { username: v.username.trim() } : {}),
            ...(v.password ? { password: v.password } : {}),
          };
  return { type: v.type, name: v.name, enabled: v.enabled, config, routing: routingOf(v) };
}

/** A PATCH body: blank secret fields keep what is stored, the non-secret ones are sent as shown. */
export function buildUpdateInput(v: ChannelFormValues): Record<string, unknown> {
  let config: Record<string, unknown>;
  if (v.type === "WEBHOOK") {
    config = {
      ...(v.url.trim() ? { url: v.url.trim() } : {}),
      ...(v.regenerateSecret ? { regenerateSecret: true } : v.secret ? { secret: v.secret } : {}),
      ...(v.clearHeaders ? { headers: {} } : v.headers.trim() ? { headers: parseHeaders(v.headers) } : {}),
    };
  } else if (v.type === "SLACK") {
    config = v.webhookUrl.trim() ? { webhookUrl: v.webhookUrl.trim() } : {};
  } else {
    config = {
      host: v.host.trim(),
      port: v.port.trim(),
      security: v.security,
      from: v.from.trim(),
      to: splitList(v.to),
      username: v.username.trim() || null,
      ...(v.clearPassword ? { password: null } : v.password ? { password: v.password } : {}),
    };
  }
  return { name: v.name, enabled: v.enabled, routing: routingOf(v), ...(Object.keys(config).length ? { config } : {}) };
}

export type FormField = "name" | "url" | "secret" | "headers" | "webhookUrl" | "host" | "port" | "security" | "username" | "password" | "from" | "to" | "minSeverity" | "types" | "clusters" | "policies";

const CONFIG_FIELDS = new Set<FormField>(["url", "secret", "headers", "webhookUrl", "host", "port", "security", "username", "password", "from", "to"]);
const ROUTING_FIELDS = new Set<FormField>(["minSeverity", "types", "clusters", "policies"]);

/** The form field an API error path belongs to ("config.to.3" → to), or null for the form as a whole. */
export function fieldOf(path: string): FormField | null {
  const [head, second] = path.split(".");
  if (head === "name") return "name";
  if (head === "config" && second && CONFIG_FIELDS.has(second as FormField)) return second as FormField;
  if (head === "config" && second === "regenerateSecret") return "secret";
  if (head === "routing" && second && ROUTING_FIELDS.has(second as FormField)) return second as FormField;
  return null;
}
