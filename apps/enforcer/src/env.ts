import { readFileSync } from "node:fs";
import { type KeyObject } from "node:crypto";
import { FAILURE_POLICIES, type FailurePolicy } from "@bulwark/policy";
import { z } from "zod";
import { IN_CLUSTER_CA_FILE, IN_CLUSTER_TOKEN_FILE, type KubeConfig } from "./kube-client.ts";
import { RESPONSE_MODES, type ResponseMode } from "./response-executor.ts";
import { parsePublicKey } from "./verify.ts";

// The enforcer's whole configuration, validated once at start. Nothing else reads process.env.
// Secrets (token, public key) come as values or, better, as files mounted from a Kubernetes Secret
// (BULWARK_TOKEN_FILE, BULWARK_PUBLIC_KEY_FILE), so they never show in `kubectl describe pod`.

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

// An exported-but-empty variable (FOO=) means "use the default".
const blankAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalText = z.preprocess(blankAsUnset, z.string().trim().min(1).optional());
const int = (min: number, max: number, fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).default(fallback));
const bool = (fallback: boolean) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().toLowerCase()) : v),
    z.enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" }).default(fallback ? "true" : "false"),
  ).transform((v) => v === "true" || v === "1" || v === "yes");

/** Cluster and enforcement point names, as central's heartbeat and decision APIs take them. */
const NAME_RE = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const name = z.string().trim().min(1, "is required").max(253).regex(NAME_RE, "must use letters, digits, '.', '_' and '-', starting and ending with a letter or digit");
const NAMESPACE_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const enforcerEnvSchema = z
  .object({
    BULWARK_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/, error: "must be the http(s) URL of Bulwark, e.g. https://bulwark.example.com" })).transform((u) => u.replace(/\/+$/, "")),
    BULWARK_TOKEN: optionalText,
    BULWARK_TOKEN_FILE: optionalText,
    BULWARK_PUBLIC_KEY: optionalText,
    BULWARK_PUBLIC_KEY_FILE: optionalText,
    /** Pins the organization bundles must be for; unset: the first verified bundle's organization is kept. */
    BULWARK_ORG_ID: optionalText,
    CLUSTER_NAME: z.preprocess(blankAsUnset, z.string({ error: "is required (the cluster's name as Bulwark knows it)" }).pipe(name)),
    ENFORCER_NAME: z.preprocess(blankAsUnset, name.optional()),
    FAILURE_POLICY: z.preprocess(
      (v) => (typeof v === "string" ? FAILURE_POLICIES.find((p) => p.toLowerCase() === v.trim().toLowerCase()) ?? v : v),
      z.enum(FAILURE_POLICIES, { error: "must be Fail or Ignore" }).default("Fail"),
    ),
    STATE_DIR: z.preprocess(blankAsUnset, z.string().default("/var/lib/bulwark-enforcer")),
    TLS_CERT_FILE: optionalText,
    TLS_KEY_FILE: optionalText,
    /** Plain HTTP instead of TLS: for tests and local runs only (the API server only calls webhooks over HTTPS). */
    INSECURE_HTTP: bool(false),
    HOST: z.preprocess(blankAsUnset, z.string().default("0.0.0.0")),
    PORT: int(0, 65535, 8443),
    EXCLUDED_NAMESPACES: z.preprocess(
      (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter((s) => s !== "") : v),
      z.array(z.string().max(63).regex(NAMESPACE_RE, "must be a list of namespace names separated by commas")).max(200).default(["kube-system", "bulwark-system"]),
    ),
    /** How far ahead a break-glass expiry may be; 0 turns break-glass off. */
    BREAK_GLASS_MAX_HOURS: int(0, 24 * 7, 24),
    DECISION_FLUSH_MS: int(100, 60_000, 1000),
    DECISION_QUEUE_MAX: int(1000, 1_000_000, 20_000),
    BUNDLE_WAIT_SECONDS: int(0, 60, 30),
    HEARTBEAT_INTERVAL_MS: int(1000, 600_000, 30_000),
    /** After SIGTERM, keep answering (readyz failing) this long so the Service stops routing here first. */
    SHUTDOWN_DELAY_MS: int(0, 60_000, 3000),
    LOG_LEVEL: z.preprocess(blankAsUnset, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info")),
    /** Runtime response actions: off (never asks central), report (claims and reports them skipped), execute (acts). */
    BULWARK_RESPONSE_ACTIONS: z.preprocess(
      (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().toLowerCase()) : v),
      z.enum(RESPONSE_MODES, { error: `must be one of ${RESPONSE_MODES.join(", ")}` }).default("report"),
    ),
    BULWARK_RESPONSE_POLL_SECONDS: int(1, 3600, 10),
    /** The Kubernetes API (default in a pod: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT). */
    BULWARK_KUBE_API_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/, error: "must be the http(s) URL of the Kubernetes API server" }).optional()),
    BULWARK_KUBE_TOKEN_FILE: optionalText,
    BULWARK_KUBE_CA_FILE: optionalText,
    /** Skips TLS verification and allows http: for tests against a fake API server only. */
    BULWARK_KUBE_INSECURE: bool(false),
    KUBERNETES_SERVICE_HOST: optionalText,
    KUBERNETES_SERVICE_PORT: optionalText,
  });

/** Rules across variables, checked on the raw environment so they are reported together with the rest. */
function crossProblems(source: Record<string, string | undefined>): { variable: string; message: string }[] {
  const set = (k: string) => (source[k] ?? "").trim() !== "";
  const out: { variable: string; message: string }[] = [];
  if (!set("BULWARK_TOKEN") && !set("BULWARK_TOKEN_FILE")) out.push({ variable: "BULWARK_TOKEN", message: "or BULWARK_TOKEN_FILE is required (a token with the enforcement scope)" });
  if (!set("BULWARK_PUBLIC_KEY") && !set("BULWARK_PUBLIC_KEY_FILE")) out.push({ variable: "BULWARK_PUBLIC_KEY", message: "or BULWARK_PUBLIC_KEY_FILE is required (the bundle signing key from /api/v1/enforcement/public-key)" });
  const insecure = ["true", "1", "yes"].includes((source.INSECURE_HTTP ?? "").trim().toLowerCase());
  if (!insecure && (!set("TLS_CERT_FILE") || !set("TLS_KEY_FILE"))) {
    out.push({ variable: set("TLS_CERT_FILE") ? "TLS_KEY_FILE" : "TLS_CERT_FILE", message: "is required (TLS_CERT_FILE and TLS_KEY_FILE; the API server calls webhooks over HTTPS only)" });
  }
  return out;
}

export interface EnforcerConfig {
  bulwarkUrl: string;
  token: string;
  publicKey: KeyObject;
  orgId: string | undefined;
  clusterName: string;
  enforcerName: string;
  failurePolicy: FailurePolicy;
  stateDir: string;
  tls: { certFile: string; keyFile: string } | null;
  host: string;
  port: number;
  excludedNamespaces: string[];
  breakGlassMaxHours: number;
  decisionFlushMs: number;
  decisionQueueMax: number;
  bundleWaitSeconds: number;
  heartbeatIntervalMs: number;
  shutdownDelayMs: number;
  logLevel: (typeof LOG_LEVELS)[number];
  response: ResponseConfig;
}

export interface ResponseConfig {
  mode: ResponseMode;
  pollSeconds: number;
  /** Set in execute mode only. */
  kube: KubeConfig | null;
}

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid environment: ${problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`);
    this.name = "EnvError";
  }
}

type ReadFile = (path: string) => string;

function fromFile(variable: string, file: string, read: ReadFile): string {
  try {
    return read(file).trim();
  } catch (err) {
    throw new EnvError([{ variable, message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"}: ${file})` }]);
  }
}

/** Validates the environment and reads the secrets it points at. */
export function parseEnforcerEnv(source: Record<string, string | undefined>, read: ReadFile = (p) => readFileSync(p, "utf8")): EnforcerConfig {
  const parsed = enforcerEnvSchema.safeParse(source);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => ({ variable: i.path.map(String).join(".") || "(env)", message: i.message }))), ...crossProblems(source)];
  if (!parsed.success || problems.length > 0) throw new EnvError(problems);
  const e = parsed.data;
  const token = e.BULWARK_TOKEN_FILE !== undefined ? fromFile("BULWARK_TOKEN_FILE", e.BULWARK_TOKEN_FILE, read) : e.BULWARK_TOKEN!;
  if (token === "") throw new EnvError([{ variable: "BULWARK_TOKEN_FILE", message: "is empty" }]);
  const keyText = e.BULWARK_PUBLIC_KEY_FILE !== undefined ? fromFile("BULWARK_PUBLIC_KEY_FILE", e.BULWARK_PUBLIC_KEY_FILE, read) : e.BULWARK_PUBLIC_KEY!;
  let publicKey: KeyObject;
  try {
    publicKey = parsePublicKey(keyText);
  } catch (err) {
    throw new EnvError([{ variable: e.BULWARK_PUBLIC_KEY_FILE !== undefined ? "BULWARK_PUBLIC_KEY_FILE" : "BULWARK_PUBLIC_KEY", message: `is not an Ed25519 public key (${(err as Error).message})` }]);
  }
  const clusterName = e.CLUSTER_NAME;
  const response: ResponseConfig = { mode: e.BULWARK_RESPONSE_ACTIONS, pollSeconds: e.BULWARK_RESPONSE_POLL_SECONDS, kube: e.BULWARK_RESPONSE_ACTIONS === "execute" ? kubeConfig(e, read) : null };
  return {
    bulwarkUrl: e.BULWARK_URL,
    token,
    publicKey,
    orgId: e.BULWARK_ORG_ID,
    clusterName,
    enforcerName: e.ENFORCER_NAME ?? `${clusterName}-enforcer`,
    failurePolicy: e.FAILURE_POLICY,
    stateDir: e.STATE_DIR,
    tls: e.INSECURE_HTTP ? null : { certFile: e.TLS_CERT_FILE!, keyFile: e.TLS_KEY_FILE! },
    host: e.HOST,
    port: e.PORT,
    excludedNamespaces: e.EXCLUDED_NAMESPACES,
    breakGlassMaxHours: e.BREAK_GLASS_MAX_HOURS,
    decisionFlushMs: e.DECISION_FLUSH_MS,
    decisionQueueMax: e.DECISION_QUEUE_MAX,
    bundleWaitSeconds: e.BUNDLE_WAIT_SECONDS,
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    logLevel: e.LOG_LEVEL,
    response,
  };
}

/**
 * Where the Kubernetes API is and how to trust and authenticate to it: in a pod, the service account
 * Kubernetes mounts; elsewhere (or to override), BULWARK_KUBE_*. The files are read once here so a
 * wrong path stops the start instead of failing the first action.
 */
function kubeConfig(e: z.infer<typeof enforcerEnvSchema>, read: ReadFile): KubeConfig {
  const host = e.KUBERNETES_SERVICE_HOST;
  const inCluster = e.BULWARK_KUBE_API_URL === undefined && host !== undefined;
  const apiUrl = e.BULWARK_KUBE_API_URL ?? (host !== undefined ? `https://${host.includes(":") ? `[${host}]` : host}:${e.KUBERNETES_SERVICE_PORT ?? "443"}` : undefined);
  if (apiUrl === undefined) {
    throw new EnvError([{ variable: "BULWARK_KUBE_API_URL", message: "is required with BULWARK_RESPONSE_ACTIONS=execute outside a pod (in a pod, KUBERNETES_SERVICE_HOST is used)" }]);
  }
  if (apiUrl.startsWith("http:") && !e.BULWARK_KUBE_INSECURE) {
    throw new EnvError([{ variable: "BULWARK_KUBE_API_URL", message: "must be https (BULWARK_KUBE_INSECURE=true allows http, for tests only)" }]);
  }
  const tokenFile = e.BULWARK_KUBE_TOKEN_FILE ?? IN_CLUSTER_TOKEN_FILE;
  const caFile = e.BULWARK_KUBE_CA_FILE ?? (inCluster ? IN_CLUSTER_CA_FILE : null);
  if (fromFile("BULWARK_KUBE_TOKEN_FILE", tokenFile, read) === "") throw new EnvError([{ variable: "BULWARK_KUBE_TOKEN_FILE", message: "is empty" }]);
  if (caFile !== null) fromFile("BULWARK_KUBE_CA_FILE", caFile, read);
  return { apiUrl: apiUrl.replace(/\/+$/, ""), tokenFile, caFile, insecure: e.BULWARK_KUBE_INSECURE };
}

/** For main.ts: on a bad environment, say which variables are wrong and exit 1 before anything starts. */
export function loadEnforcerEnvOrExit(): EnforcerConfig {
  try {
    return parseEnforcerEnv(process.env);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    // Plain stderr rather than the JSON logger: LOG_LEVEL itself may be what is wrong.
    process.stderr.write(`bulwark enforcer: invalid environment\n${err.problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}\n`);
    process.exit(1);
  }
}
