import { describe, expect, it } from "vitest";
import { detectSecret, shannonEntropy } from "./secret-detect.ts";
import { noSecretsInEnv } from "./secrets.ts";
import { cronJob, deployment, pod, run, where } from "./testing.ts";

// Credential-shaped values are assembled from parts so that this file itself does not trip secret
// scanners (ours included); none of them is a real credential.
const j = (...parts: string[]) => parts.join("");
const AKIA = j("AK", "IA", "Z7Q2M4N8P1R5T3V6");
const GHP = j("gh", "p_", "R8k2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4");
const JWT = j("eyJ", "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", ".eyJ", "zdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ", ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
const PEM = j("-----BEGIN ", "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7v9Zk2mQ4xLp8Rt\n-----END RSA PRIVATE KEY-----");

interface Case {
  name: string;
  value: string;
  /** The detector expected to fire, or undefined for "not a secret". */
  kind: string | undefined;
  /** The part that must never appear in evidence (default: the whole value). */
  secret?: string;
}

const POSITIVE: Case[] = [
  { name: "AWS_ACCESS_KEY_ID", value: AKIA, kind: "AWS access key id" },
  { name: "SOMETHING", value: j("AS", "IA", "Y5W2K8J4H1G7F3D9"), kind: "AWS access key id" },
  { name: "AWS_SECRET_ACCESS_KEY", value: j("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYzq8R2mK4nB"), kind: "AWS secret access key" },
  { name: "GITHUB_TOKEN", value: GHP, kind: "GitHub token" },
  { name: "GH_CREDENTIAL", value: j("gh", "s_", "Zb7Yc6Xd5We4Vf3Ug2Th1Si0Rj9Qk8Pl7Om6N"), kind: "GitHub token" },
  { name: "CI", value: j("github", "_pat_", "11ABCDEFG0123456789abc_", "Xy7Zw6Vu5Ts4Rq3Po2Nm1Lk0Jh9Gf8Ed7Cb6Ab5Zy4Xw3Vu2Ts1Rq0Po9Nm8Lk7Jh6"), kind: "GitHub token" },
  { name: "SLACK_BOT", value: j("xo", "xb-", "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"), kind: "Slack token" },
  { name: "SLACK_APP", value: j("xa", "pp-", "1-A0123BCDEFG-1234567890123-abcdef0123456789abcdef0123456789"), kind: "Slack token" },
  { name: "ALERT_WEBHOOK", value: j("https://hooks.", "slack.com/services/", "T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX"), kind: "Slack webhook URL" },
  { name: "STRIPE", value: j("sk", "_live_", "51HqLyZ2eZvKYlo2C8nVbT9xQ"), kind: "Stripe live key" },
  { name: "PAYMENTS_KEY", value: j("rk", "_live_", "9aB8cD7eF6gH5iJ4kL3mN2oP"), kind: "Stripe live key" },
  { name: "TLS_KEY", value: PEM, kind: "private key" },
  { name: "DEPLOY_KEY", value: j("-----BEGIN ", "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n"), kind: "private key" },
  { name: "MAPS", value: j("AI", "za", "SyD8k2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef"), kind: "Google API key" },
  { name: "AUTH_HEADER", value: `Bearer ${JWT}`, kind: "JSON Web Token", secret: JWT },
  { name: "DATABASE_URL", value: "postgres://app:s3cr3tP4ss@db.prod:5432/app", kind: "password in a URL", secret: "s3cr3tP4ss" },
  { name: "REDIS_URL", value: "redis://:Zx9kLm2Qp7@redis:6379/0", kind: "password in a URL", secret: "Zx9kLm2Qp7" },
  { name: "GIT_REMOTE", value: "https://oauth2:Ab3dEf6hIj9kLm2nOp5q@gitlab.com/acme/app.git", kind: "password in a URL", secret: "Ab3dEf6hIj9kLm2nOp5q" },
  { name: "DB_PASSWORD", value: "Tr0ub4dor&3", kind: "password" },
  { name: "POSTGRES_PASSWORD", value: "postgres", kind: "password" },
  { name: "MYSQL_ROOT_PASSWORD", value: "correct-horse-battery-staple", kind: "password" },
  { name: "dbPassword", value: "9fK2mQ7xLp", kind: "password" },
  { name: "SMTP_PASS", value: "hunter2!x", kind: "password" },
  { name: "ADMIN_PASSWD", value: "admin123", kind: "password" },
  { name: "API_KEY", value: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", kind: "secret" },
  { name: "JWT_SECRET", value: "a8f5f167f44f4964e6c998dee827110c", kind: "secret" },
  { name: "SECRET_KEY_BASE", value: "9c1e4b7f2a8d5e3c6b9f0a1d4e7c2b5f8a3d6e9c0b1f4a7d2e5c8b3f6a9d0e1c", kind: "secret" },
  { name: "clientSecret", value: "Qm9zc2VzQXJlTm90QWxsb3dlZA", kind: "secret" },
  { name: "VAULT_TOKEN", value: "hvs.CAESIJ9Zx8f2Lq4Wm7Rt1Yp3Ks6", kind: "secret" },
  { name: "NPM_TOKEN", value: j("npm", "_", "Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7A"), kind: "secret" },
  { name: "ENCRYPTION_KEY_B64", value: "q2VzZ3Rpb25hbC1rZXktbWF0ZXJpYWwtMTIzNA==", kind: "secret" },
];

const NEGATIVE: Case[] = [
  { name: "PASSWORD_MIN_LENGTH", value: "12", kind: undefined },
  { name: "TOKEN_TTL", value: "3600", kind: undefined },
  { name: "SECRET_NAME", value: "my-secret", kind: undefined },
  { name: "SECRET_NAME", value: "prod-db-credentials-v2", kind: undefined },
  { name: "DB_PASSWORD", value: "changeme", kind: undefined },
  { name: "DB_PASSWORD", value: "password", kind: undefined },
  { name: "DB_PASSWORD", value: "${DB_PASSWORD}", kind: undefined },
  { name: "DB_PASSWORD", value: "$(DB_PASSWORD_FROM_SECRET)", kind: undefined },
  { name: "DB_PASSWORD", value: "", kind: undefined },
  { name: "DB_PASSWORD", value: "aaaaaaaa", kind: undefined },
  { name: "DATABASE_URL", value: "postgres://app:$(DB_PASSWORD)@db:5432/app", kind: undefined },
  { name: "DATABASE_URL", value: "postgres://app:${DB_PASSWORD}@db:5432/app", kind: undefined },
  { name: "DATABASE_URL", value: "postgres://user:password@localhost/db", kind: undefined },
  { name: "DATABASE_URL", value: "postgres://db.prod:5432/app", kind: undefined },
  { name: "CALLBACK", value: "https://user@example.com/path", kind: undefined },
  { name: "HTTP_PROXY", value: "http://proxy.corp:3128", kind: undefined },
  { name: "API_TOKEN", value: "<your-token-here>", kind: undefined },
  { name: "API_TOKEN", value: "your_api_token_here", kind: undefined },
  { name: "API_TOKEN", value: "Set this from the vault please", kind: undefined },
  { name: "REQUIRE_PASSWORD", value: "true", kind: undefined },
  { name: "MYSQL_ALLOW_EMPTY_PASSWORD", value: "yes", kind: undefined },
  { name: "PASSWORD_FILE", value: "/run/secrets/db-password", kind: undefined },
  { name: "AUTH_TOKEN", value: "/var/run/secrets/tokens/vault-token", kind: undefined },
  { name: "TOKEN_URL", value: "https://auth.example.com/oauth/token", kind: undefined },
  { name: "KUBERNETES_SECRET", value: "myapp-tls-secret", kind: undefined },
  { name: "JWT_SECRET", value: "xxxxxxxxxxxxxxxxxxxx", kind: undefined },
  { name: "JWT_SECRET", value: "****************", kind: undefined },
  { name: "API_KEY", value: j("AK", "IA", "XXXXXXXXXXXXXXXX"), kind: undefined },
  { name: "GITHUB_TOKEN", value: j("gh", "p_", "x".repeat(36)), kind: undefined },
  { name: "SLACK_TOKEN", value: j("xo", "xb-", "your-bot-token-here"), kind: undefined },
  { name: "MAX_TOKENS", value: "4096", kind: undefined },
  { name: "SESSION_TIMEOUT", value: "30m", kind: undefined },
  { name: "SECRET_MAX_AGE", value: "720h", kind: undefined },
  { name: "PASSWORD_HASH_ROUNDS", value: "12", kind: undefined },
  { name: "SIGNING_KEY_ID", value: "key-2024-01", kind: undefined },
  { name: "GOOGLE_CLIENT_ID", value: "1234567890-abc.apps.googleusercontent.com", kind: undefined },
  { name: "LOG_LEVEL", value: "debug", kind: undefined },
  { name: "JAVA_OPTS", value: "-Xmx512m -Dfile.encoding=UTF-8", kind: undefined },
  { name: "AWS_REGION", value: "eu-west-1", kind: undefined },
  { name: "AWS_SECRET_ACCESS_KEY", value: "${AWS_SECRET}", kind: undefined },
  { name: "ENABLE_TOKEN_AUTH", value: "yes", kind: undefined },
  { name: "BYPASS", value: "Zx9kLm2Qp7aB", kind: undefined },
  { name: "MEMORY_LIMIT", value: "512Mi", kind: undefined },
  { name: "SECRET", value: "short", kind: undefined },
];

describe("detectSecret", () => {
  it("has a table of at least 30 true and 30 false positives", () => {
    expect(POSITIVE.length).toBeGreaterThanOrEqual(30);
    expect(NEGATIVE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(POSITIVE.map((c) => [c.name, c.kind, c] as const))("finds %s as %s", (_name, kind, c) => {
    expect(detectSecret(c.name, c.value)?.kind).toBe(kind);
  });

  it.each(NEGATIVE.map((c) => [c.name, c.value] as const))("leaves %s=%j alone", (name, value) => {
    expect(detectSecret(name, value)).toBeUndefined();
  });

  it.each(POSITIVE.map((c) => [c.name, c] as const))("never shows the clear value of %s", (_name, c) => {
    const masked = detectSecret(c.name, c.value)?.masked ?? "";
    const secret = c.secret ?? c.value;
    expect(masked).not.toContain(secret);
    // Not even a recognizable piece of it: at most the 4-character prefix the mask keeps.
    for (let i = 0; i + 6 <= secret.length; i++) expect(masked).not.toContain(secret.slice(i, i + 6));
  });

  it("shows only scheme, user and host of a URL with a password", () => {
    expect(detectSecret("DATABASE_URL", "postgres://app:s3cr3tP4ss@db.prod:5432/app?sslmode=require")?.masked).toBe("postgres://app:********@db.prod:5432");
  });
});

describe("detectSecret on hostile input", () => {
  it("stays fast on megabyte values built to make regular expressions backtrack", () => {
    const hostile = ["a".repeat(1_000_000) + "@", "eyJ".repeat(333_334), "a://".repeat(250_000) + "@", `${"x:".repeat(500_000)}@`, "AKIA".repeat(250_000)];
    const start = performance.now();
    for (const value of hostile) detectSecret("API_TOKEN", value);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it("still finds a credential at the start of a huge value", () => {
    expect(detectSecret("X", GHP + " ".repeat(100_000))?.kind).toBe("GitHub token");
  });
});

describe("shannonEntropy", () => {
  it("is 0 for empty and uniform strings and log2(n) for n distinct characters", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBeCloseTo(2, 10);
    expect(shannonEntropy("ab")).toBeCloseTo(1, 10);
  });

  it("leaves no state behind between calls, non-ASCII included", () => {
    expect(shannonEntropy("ééaa")).toBeCloseTo(1, 10);
    expect(shannonEntropy("éa")).toBeCloseTo(1, 10);
  });
});

describe("no-secrets-in-env", () => {
  it("passes references and non-secret literals", () => {
    const env = [
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
      { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
      { name: "LOG_LEVEL", value: "info" },
      { name: "TOKEN_TTL", value: "3600" },
    ];
    expect(run(noSecretsInEnv, pod({ containers: [{ name: "app", image: "x:1", env, envFrom: [{ secretRef: { name: "all" } }] }] }))).toEqual([]);
  });

  it("flags literal secrets at env[i].value with masked evidence, in every container kind", () => {
    const spec = {
      containers: [{ name: "app", image: "x:1", env: [{ name: "LOG_LEVEL", value: "info" }, { name: "GITHUB_TOKEN", value: GHP }] }],
      initContainers: [{ name: "migrate", image: "x:1", env: [{ name: "DB_PASSWORD", value: "Tr0ub4dor&3" }] }],
      ephemeralContainers: [{ name: "dbg", image: "x:1", env: [{ name: "AWS_ACCESS_KEY_ID", value: AKIA }] }],
    };
    const v = run(noSecretsInEnv, deployment(spec));
    expect(where(v)).toEqual([
      ["app", "spec.template.spec.containers[0].env[1].value"],
      ["migrate", "spec.template.spec.initContainers[0].env[0].value"],
      ["dbg", "spec.template.spec.ephemeralContainers[0].env[0].value"],
    ]);
    expect(v.map((x) => x.evidence)).toEqual(["GITHUB_TOKEN=ghp_********", "DB_PASSWORD=********", "AWS_ACCESS_KEY_ID=AKIA********"]);
    expect(v[0]?.message).toBe('Container "app" has a literal GitHub token in environment variable GITHUB_TOKEN');
    for (const x of v) {
      for (const secret of [GHP, "Tr0ub4dor&3", AKIA]) {
        expect(x.evidence).not.toContain(secret);
        expect(x.message).not.toContain(secret);
      }
    }
  });

  it("follows CronJob nesting and reports one violation per variable", () => {
    const v = run(noSecretsInEnv, cronJob({ containers: [{ name: "job", image: "x:1", env: [{ name: "TLS_KEY", value: PEM }, { name: "AUTH", value: `Bearer ${JWT}` }] }] }));
    expect(where(v)).toEqual([
      ["job", "spec.jobTemplate.spec.template.spec.containers[0].env[0].value"],
      ["job", "spec.jobTemplate.spec.template.spec.containers[0].env[1].value"],
    ]);
    expect(v[1]?.evidence).not.toContain(JWT.slice(0, 20));
  });

  it("ignores malformed env entries and non-pod resources", () => {
    expect(run(noSecretsInEnv, pod({ containers: [{ name: "a", image: "x:1", env: ["DB_PASSWORD=x", null, { name: "N", value: 42 }] }] }))).toEqual([]);
    expect(run(noSecretsInEnv, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { GITHUB_TOKEN: GHP } })).toEqual([]);
  });
});
