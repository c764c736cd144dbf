import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@bulwark/db";
import { sha256Hex, verifyPassword } from "@bulwark/core";
import pkg from "../package.json" with { type: "json" };
import { runCli, testDatabaseUrl, uid } from "./run-cli.ts";

// Every case starts the real CLI (tsx compile + Prisma) several times; leave room on a busy machine.
vi.setConfig({ testTimeout: 90_000 });

let db: Db;
beforeAll(() => {
  db = createDb(testDatabaseUrl(), { max: 2 });
});
afterAll(async () => {
  await db.$disconnect();
});

const TOKEN_RE = /bwk_[A-Za-z0-9_-]{43}/g;

async function newOrg() {
  const slug = `cli-${uid()}`;
  return db.organization.create({ data: { slug, name: slug } });
}

describe("bulwark (no command)", () => {
  it("prints its version and help", async () => {
    const version = await runCli(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await runCli(["admin", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("create-user");
    expect(help.stdout).toContain("create-token");
  });

  it("exits 2 on an unknown command or a missing required flag", async () => {
    const unknown = await runCli(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const missing = await runCli(["admin", "create-token", "--org", "x", "--scopes", "ingest"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--name");
  });
});

describe("bulwark admin create-user", () => {
  it("creates user, organization and membership, with a generated argon2id-hashed password and audit rows", async () => {
    const slug = `cli-${uid()}`;
    const email = `Ada-${uid()}@Example.com`;
    const res = await runCli(["admin", "create-user", "--email", email, "--org", slug, "--org-name", "Ada's Org", "--role", "owner", "--name", "Ada"]);
    expect(res.code).toBe(0);
    const generated = /Generated password: (\S+)/.exec(res.stdout)?.[1];
    expect(generated).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(res.stderr).toContain("shown only once");

    const user = await db.user.findUniqueOrThrow({ where: { email: email.toLowerCase() }, include: { memberships: { include: { org: true } } } });
    expect(user.name).toBe("Ada");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain(generated);
    expect(await verifyPassword(user.passwordHash ?? "", generated ?? "")).toBe(true);
    expect(user.memberships).toHaveLength(1);
    expect(user.memberships[0]).toMatchObject({ role: "OWNER", org: { slug, name: "Ada's Org" } });

    const audit = await db.auditLog.findMany({ where: { orgId: user.memberships[0]?.orgId }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["org.created", "member.upserted"]);
    expect(audit.every((a) => a.actorType === "SYSTEM" && a.actorLabel.startsWith("cli"))).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(generated);
  });

  it("takes the password from stdin and prints JSON without echoing it", async () => {
    const org = await newOrg();
    const email = `stdin-${uid()}@test.local`;
    const password = `pw-${uid()}-long enough`;
    const res = await runCli(["admin", "create-user", "--email", email, "--org", org.slug, "--role", "ANALYST", "--password-stdin", "--json"], { input: `${password}\n` });
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ email, orgId: org.id, orgSlug: org.slug, role: "ANALYST", createdUser: true, createdOrg: false });
    expect(out).not.toHaveProperty("generatedPassword");
    expect(res.stdout + res.stderr).not.toContain(password);

    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.passwordHash).not.toBe(password);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    // The trailing newline from the pipe is not part of the password.
    expect(await verifyPassword(user.passwordHash ?? "", password)).toBe(true);
  });

  it("rejects a bad role or e-mail naming the flag (exit 2) and creates nothing", async () => {
    const slug = `cli-${uid()}`;
    const role = await runCli(["admin", "create-user", "--email", `r-${uid()}@test.local`, "--org", slug, "--role", "SUPERUSER"]);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain("--role");
    expect(role.stderr).toContain("OWNER, ADMIN, ANALYST, VIEWER");

    const email = await runCli(["admin", "create-user", "--email", "not-an-email", "--org", slug, "--role", "VIEWER"]);
    expect(email.code).toBe(2);
    expect(email.stderr).toMatch(/--email: .*email/i);

    const json = await runCli(["admin", "create-user", "--email", "not-an-email", "--org", slug, "--role", "VIEWER", "--json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr)).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ path: "email", flag: "--email" }] });

    const empty = await runCli(["admin", "create-user", "--email", `e-${uid()}@test.local`, "--org", slug, "--role", "VIEWER", "--password-stdin"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no password on stdin");

    expect(await db.organization.findUnique({ where: { slug } })).toBeNull();
  });
});

describe("bulwark admin create-token", () => {
  it("prints the token once and stores only its SHA-256, with scopes and cluster", async () => {
    const org = await newOrg();
    const res = await runCli(["admin", "create-token", "--org", org.slug, "--name", "prod connector", "--scopes", "ingest,policy:read,ingest", "--cluster", "prod", "--expires-days", "30"]);
    expect(res.code).toBe(0);
    const tokens = [...(res.stdout + res.stderr).matchAll(TOKEN_RE)].map((m) => m[0]);
    expect(tokens).toHaveLength(1);
    const token = tokens[0] ?? "";
    expect(res.stderr).toContain("cannot be retrieved again");
    expect(res.stdout).toContain("ingest, policy:read");

    const row = await db.apiToken.findFirstOrThrow({ where: { orgId: org.id }, include: { cluster: true } });
    expect(row.tokenHash).not.toBe(token);
    expect(row.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.prefix).toBe(token.slice(0, 10));
    expect(res.stdout).toContain(row.id);
    expect(res.stdout).toContain(row.prefix);
    expect(row.scopes).toEqual(["ingest", "policy:read"]);
    expect(row.cluster?.name).toBe("prod");
    expect(row.createdById).toBeNull();
    const days = ((row.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: "api_token.created" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "SYSTEM", targetId: row.id });
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("prints JSON with --json", async () => {
    const org = await newOrg();
    const res = await runCli(["admin", "create-token", "--org", org.slug, "--name", "metrics", "--scopes", "metrics", "--json"]);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { id: string; token: string; scopes: string[]; prefix: string; expiresAt: unknown; cluster: unknown };
    expect(out).toMatchObject({ orgId: org.id, name: "metrics", scopes: ["metrics"], expiresAt: null, cluster: null });
    expect(out.token).toMatch(/^bwk_[A-Za-z0-9_-]{43}$/);
    expect(res.stderr).not.toContain(out.token);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: out.id } });
    expect(row.tokenHash).toBe(sha256Hex(out.token));
  });

  it("rejects unknown scopes naming them (exit 2) and creates no token", async () => {
    const org = await newOrg();
    const res = await runCli(["admin", "create-token", "--org", org.slug, "--name", "n", "--scopes", "ingest,admin"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--scopes");
    expect(res.stderr).toContain('unknown scope "admin"');
    const tooLong = await runCli(["admin", "create-token", "--org", org.slug, "--name", "n", "--scopes", "read", "--expires-days", "100000"]);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain("--expires-days");
    expect(await db.apiToken.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("exits 1 with 'not found' for an unknown organization", async () => {
    const res = await runCli(["admin", "create-token", "--org", `missing-${uid()}`, "--name", "n", "--scopes", "ingest"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Organization "missing-[0-9a-f]+" not found/);
    expect(res.stdout).toBe("");
  });
});

describe("configuration", () => {
  it("reads DATABASE_URL from the repository's .env when it is not set", async () => {
    const root = mkdtempSync(join(tmpdir(), "bulwark-cli-"));
    try {
      writeFileSync(join(root, "package.json"), JSON.stringify({ name: "x", workspaces: ["apps/*"] }));
      writeFileSync(join(root, ".env"), `# test\nDATABASE_URL=${testDatabaseUrl()}\n`);
      const org = await newOrg();
      const res = await runCli(["admin", "create-token", "--org", org.slug, "--name", "from-dotenv", "--scopes", "read", "--json"], { cwd: root, env: { DATABASE_URL: undefined } });
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({ orgId: org.id, name: "from-dotenv" });

      writeFileSync(join(root, ".env"), "DATABASE_URL=mysql://nope\n");
      const bad = await runCli(["admin", "create-token", "--org", org.slug, "--name", "n", "--scopes", "read"], { cwd: root, env: { DATABASE_URL: undefined } });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("DATABASE_URL must be a postgresql:// URL");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
