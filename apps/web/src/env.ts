import { z } from "zod";

// The web app's configuration, validated once on first use. Nothing is read at import time, so
// `next build` (which imports every route module) works without a database or secrets; a running
// server with bad configuration fails on its first request with a message listing every problem.

// Missing and malformed values get different messages: "is required" tells an operator what to add.
const msg = (bad: string) => (iss: { input?: unknown }) => (iss.input === undefined || iss.input === "" ? "is required" : bad);

const optional = z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(1).optional());

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: msg("must be a postgresql:// URL") }),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: msg("must be a redis:// or rediss:// URL") }),
    NEXTAUTH_URL: z.url({ protocol: /^https?$/, error: msg("must be the public http(s) URL of the dashboard") }),
    NEXTAUTH_SECRET: z.string({ error: "is required" }).min(1, "is required"),
    // Encrypts the bundle signing key at rest; NEXTAUTH_SECRET when unset. Changing it makes the stored
    // key unreadable: a new key is generated (the old one retired) and enforcement points need the new
    // public key.
    BULWARK_KEY_SECRET: optional,
    BULWARK_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(10_485_760),
    // Requests per minute per connector token, across all web replicas (counted in Redis).
    BULWARK_TOKEN_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(600),
    // Runtime event senders (falcosidekick posts one event per request) get a budget of their own: a
    // burst of Falco alerts must not be refused at the rate that suits scan reports.
    BULWARK_EVENT_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).max(10_000_000).default(60_000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    OIDC_ISSUER: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
    OIDC_CLIENT_ID: optional,
    OIDC_CLIENT_SECRET: optional,
    OIDC_NAME: optional,
  })
  .superRefine((env, ctx) => {
    // A short secret makes session cookies forgeable; development keeps the convenience of any value.
    if (env.NODE_ENV === "production" && env.NEXTAUTH_SECRET.length < 32) {
      ctx.addIssue({ code: "custom", path: ["NEXTAUTH_SECRET"], message: "must be at least 32 characters in production" });
    }
    if (env.NODE_ENV === "production" && env.BULWARK_KEY_SECRET !== undefined && env.BULWARK_KEY_SECRET.length < 32) {
      ctx.addIssue({ code: "custom", path: ["BULWARK_KEY_SECRET"], message: "must be at least 32 characters in production" });
    }
  });

export type Env = z.infer<typeof schema> & {
  /** The secret the bundle signing key is encrypted under: BULWARK_KEY_SECRET, else NEXTAUTH_SECRET. */
  keySecret: string;
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | null;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration for the Bulwark web app:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example.`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join(".") || "(env)"} ${i.message}`));
  }
  const e = parsed.data;
  const oidc =
    e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
      ? { issuer: e.OIDC_ISSUER.replace(/\/+$/, ""), clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, name: e.OIDC_NAME ?? "Single sign-on" }
      : null;
  return { ...e, keySecret: e.BULWARK_KEY_SECRET ?? e.NEXTAUTH_SECRET, oidc };
}

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    try {
      cached = parseEnv(process.env);
    } catch (err) {
      // Printed once in plain text: operators read this in container logs before anything else works.
      if (err instanceof EnvError) console.error(err.message);
      throw err;
    }
  }
  return cached;
}

/**
 * Called once when the server process starts (instrumentation.ts): a misconfigured server stops
 * with the list of problems instead of answering every request with an error. Skipped while
 * `next build` prerenders, which runs without runtime configuration.
 */
export function checkEnvAtStartup(): void {
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  try {
    env();
  } catch (err) {
    if (err instanceof EnvError) process.exit(1);
    throw err;
  }
}
