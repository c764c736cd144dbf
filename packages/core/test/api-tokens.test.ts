import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { AppError } from "../src/errors.ts";
import { createApiToken } from "../src/use-cases/create-api-token.ts";
import { listApiTokens } from "../src/use-cases/list-api-tokens.ts";
import { revokeApiToken } from "../src/use-cases/revoke-api-token.ts";
import { authenticateToken } from "../src/use-cases/authenticate-token.ts";
import { listReports } from "../src/use-cases/list-reports.ts";
import { makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (e) {
    return e instanceof AppError ? e.code : `non-app-error: ${String(e)}`;
  }
}

async function adminOf(name = "tok") {
  const org = await makeOrg(db, name);
  const { user } = await makeMember(db, org.id, "ADMIN");
  return { org, ctx: userCtx(org.id, user, "ADMIN") };
}

describe("listApiTokens", () => {
  it("lists the org's tokens newest first with cluster names and never the hash", async () => {
    const { org, ctx } = await adminOf();
    const cluster = `prod-${uid()}`;
    const a = await createApiToken(db, ctx, { name: "first", scopes: ["ingest"], clusterName: cluster, expiresInDays: 30 });
    const b = await createApiToken(db, ctx, { name: "second", scopes: ["read", "metrics"] });
    const other = await adminOf("other");
    await createApiToken(db, other.ctx, { name: "foreign", scopes: ["ingest"] });

    const list = await listApiTokens(db, ctx);
    expect(list.map((t) => t.id)).toEqual([b.id, a.id]);
    const first = list[1]!;
    expect(first).toMatchObject({ name: "first", prefix: a.prefix, scopes: ["ingest"], clusterName: cluster, registryName: null, lastUsedAt: null, revokedAt: null });
    expect(first.expiresAt?.getTime()).toBe(a.expiresAt?.getTime());
    expect(list[0]).toMatchObject({ name: "second", scopes: ["read", "metrics"], clusterName: null, expiresAt: null });
    for (const t of list) {
      expect(Object.keys(t)).not.toContain("tokenHash");
      expect(JSON.stringify(t)).not.toContain(a.token.slice(10));
    }

    // lastUsedAt appears once the token is used.
    await authenticateToken(db, a.token, "ingest");
    const after = await listApiTokens(db, ctx);
    expect(after.find((t) => t.id === a.id)?.lastUsedAt).toBeInstanceOf(Date);
    expect(org.id).toBe(ctx.orgId);
  });

  it("is ADMIN+ only: analysts, viewers and tokens get 403", async () => {
    const { org, ctx } = await adminOf();
    const { user: analyst } = await makeMember(db, org.id, "ANALYST");
    const { user: viewer } = await makeMember(db, org.id, "VIEWER");
    const created = await createApiToken(db, ctx, { name: "t", scopes: ["read"] });
    const tokenCtx = await authenticateToken(db, created.token, "read");
    expect(await codeOf(listApiTokens(db, userCtx(org.id, analyst, "ANALYST")))).toBe("FORBIDDEN");
    expect(await codeOf(listApiTokens(db, userCtx(org.id, viewer, "VIEWER")))).toBe("FORBIDDEN");
    expect(await codeOf(listApiTokens(db, tokenCtx))).toBe("FORBIDDEN");
  });
});

describe("revokeApiToken", () => {
  it("revokes at once, writes one audit row, and is idempotent", async () => {
    const { ctx } = await adminOf();
    const created = await createApiToken(db, ctx, { name: "to-revoke", scopes: ["ingest"] });
    await authenticateToken(db, created.token, "ingest");

    const r1 = await revokeApiToken(db, ctx, created.id);
    expect(r1).toMatchObject({ id: created.id, name: "to-revoke", changed: true });
    expect(await codeOf(authenticateToken(db, created.token, "ingest"))).toBe("UNAUTHENTICATED");

    const r2 = await revokeApiToken(db, ctx, created.id);
    expect(r2.changed).toBe(false);
    expect(r2.revokedAt.getTime()).toBe(r1.revokedAt.getTime());

    const audits = await db.auditLog.findMany({ where: { orgId: ctx.orgId, action: "api_token.revoked", targetId: created.id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: "USER", targetType: "api_token", metadata: { name: "to-revoke", prefix: created.prefix } });
    const listed = await listApiTokens(db, ctx);
    expect(listed.find((t) => t.id === created.id)?.revokedAt?.getTime()).toBe(r1.revokedAt.getTime());
  });

  it("answers 404 for another organization's token or an unknown id, and changes nothing", async () => {
    const mine = await adminOf();
    const theirs = await adminOf("other");
    const foreign = await createApiToken(db, theirs.ctx, { name: "theirs", scopes: ["ingest"] });
    expect(await codeOf(revokeApiToken(db, mine.ctx, foreign.id))).toBe("NOT_FOUND");
    expect(await codeOf(revokeApiToken(db, mine.ctx, `nope-${uid()}`))).toBe("NOT_FOUND");
    const still = await authenticateToken(db, foreign.token, "ingest");
    expect(still.orgId).toBe(theirs.org.id);
    expect(await db.auditLog.count({ where: { orgId: mine.org.id, action: "api_token.revoked" } })).toBe(0);
  });

  it("is ADMIN+ only", async () => {
    const { org, ctx } = await adminOf();
    const created = await createApiToken(db, ctx, { name: "t", scopes: ["ingest"] });
    const { user: analyst } = await makeMember(db, org.id, "ANALYST");
    expect(await codeOf(revokeApiToken(db, userCtx(org.id, analyst, "ANALYST"), created.id))).toBe("FORBIDDEN");
    const tokenCtx = await authenticateToken(db, created.token, "ingest");
    expect(await codeOf(revokeApiToken(db, tokenCtx, created.id))).toBe("FORBIDDEN");
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).revokedAt).toBeNull();
  });
});

describe("listReports", () => {
  it("lists the org's newest reports for any member, scoped by org", async () => {
    const { org, ctx } = await adminOf();
    const other = await adminOf("other");
    const base = { kind: "TRIVY" as const, body: Buffer.from("x"), bodyBytes: 1, bodySha256: "0".repeat(64) };
    const older = await db.report.create({ data: { ...base, orgId: org.id, receivedAt: new Date(Date.now() - 60_000), subject: "a" } });
    const newer = await db.report.create({ data: { ...base, orgId: org.id, kind: "INVENTORY", subject: "prod", status: "PROCESSED", counts: { workloads: 3 } } });
    await db.report.create({ data: { ...base, orgId: other.org.id } });
    const { user: viewer } = await makeMember(db, org.id, "VIEWER");
    const list = await listReports(db, userCtx(org.id, viewer, "VIEWER"));
    expect(list.map((r) => r.id)).toEqual([newer.id, older.id]);
    expect(list[0]).toMatchObject({ kind: "INVENTORY", subject: "prod", status: "PROCESSED", counts: { workloads: 3 } });
    expect(Object.keys(list[0]!)).not.toContain("body");
    expect(await listReports(db, ctx, { limit: 1 })).toHaveLength(1);
  });
});
