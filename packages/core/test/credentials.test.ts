import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { AppError } from "../src/errors.ts";
import { type Redis } from "../src/redis.ts";
import { createUser } from "../src/use-cases/create-user.ts";
import { authenticatePassword, LOGIN_LIMIT_PER_EMAIL } from "../src/use-cases/authenticate-password.ts";
import { createApiTokenForOrg } from "../src/use-cases/create-api-token.ts";
import { authenticateToken } from "../src/use-cases/authenticate-token.ts";
import { sha256Hex } from "../src/crypto/tokens.ts";
import { testDb, testRedis, uid } from "./helpers.ts";

let db: Db;
let redis: Redis;
beforeAll(() => {
  db = testDb();
  redis = testRedis();
});
afterAll(async () => {
  await db.$disconnect();
  redis.disconnect();
});

describe("passwords", () => {
  it("are stored as argon2id hashes, never in clear, and sign-in checks them", async () => {
    const email = `pw-${uid()}@test.local`;
    const password = "correct horse battery";
    const res = await createUser(db, { email, org: `org-${uid()}`, role: "OWNER", password });
    const user = await db.user.findUniqueOrThrow({ where: { id: res.userId } });
    expect(user.passwordHash).not.toBe(password);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(await db.auditLog.findMany({ where: { orgId: res.orgId } }))).not.toContain(password);

    const ok = await authenticatePassword(db, redis, { email: email.toUpperCase(), password, ip: "10.0.0.1" });
    expect(ok.id).toBe(res.userId);
    const bad = await authenticatePassword(db, redis, { email, password: "wrong", ip: "10.0.0.1" }).catch((e: AppError) => e);
    expect((bad as AppError).code).toBe("UNAUTHENTICATED");
    const unknown = await authenticatePassword(db, redis, { email: `nobody-${uid()}@x.local`, password, ip: "10.0.0.1" }).catch((e: AppError) => e);
    expect((unknown as AppError).code).toBe("UNAUTHENTICATED");
    expect((unknown as AppError).message).toBe((bad as AppError).message);
  });

  it("generates a one-time password when none is given", async () => {
    const res = await createUser(db, { email: `gen-${uid()}@test.local`, org: `org-${uid()}`, role: "ADMIN" });
    expect(res.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const user = await db.user.findUniqueOrThrow({ where: { id: res.userId } });
    expect(user.passwordHash).not.toContain(res.generatedPassword);
  });

  it("rate-limits sign-in per account, even for the right password", async () => {
    const email = `rl-${uid()}@test.local`;
    const password = "another long password";
    await createUser(db, { email, org: `org-${uid()}`, role: "OWNER", password });
    for (let i = 0; i < LOGIN_LIMIT_PER_EMAIL.limit; i++) {
      await authenticatePassword(db, redis, { email, password: "nope", ip: `10.1.0.${i}` }).catch(() => {});
    }
    const limited = await authenticatePassword(db, redis, { email, password, ip: "10.2.0.1" }).catch((e: AppError) => e);
    expect(limited).toBeInstanceOf(AppError);
    expect((limited as AppError).code).toBe("RATE_LIMITED");
    expect((limited as AppError).retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe("API tokens", () => {
  it("are prefixed, 32 random bytes, stored as SHA-256 only, scoped and revocable", async () => {
    const owner = await createUser(db, { email: `tok-${uid()}@test.local`, org: `org-${uid()}`, role: "OWNER", password: "long enough pw" });
    const created = await createApiTokenForOrg(db, owner.orgSlug, { name: "ci", scopes: ["ingest", "read", "ingest"], clusterName: "prod" });
    expect(created.token).toMatch(/^bwk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.token.slice(4), "base64url")).toHaveLength(32);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).not.toBe(created.token);
    expect(row.tokenHash).toBe(sha256Hex(created.token));
    expect(row.scopes).toEqual(["ingest", "read"]);
    expect(row.prefix).toBe(created.token.slice(0, 10));
    expect(row.clusterId).not.toBeNull();

    const ctx = await authenticateToken(db, created.token, "ingest");
    expect(ctx.actor).toMatchObject({ type: "token", tokenId: row.id, clusterId: row.clusterId });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();

    await db.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    const revoked = await authenticateToken(db, created.token).catch((e: AppError) => e);
    expect((revoked as AppError).status).toBe(401);
    const forged = await authenticateToken(db, created.token.slice(0, -1) + (created.token.endsWith("A") ? "B" : "A")).catch((e: AppError) => e);
    expect((forged as AppError).status).toBe(401);
    expect(await db.auditLog.count({ where: { orgId: owner.orgId, action: "api_token.created" } })).toBe(1);
  });

  it("rejects unknown scopes with the field path", async () => {
    const owner = await createUser(db, { email: `sc-${uid()}@test.local`, org: `org-${uid()}`, role: "OWNER", password: "long enough pw" });
    const err = await createApiTokenForOrg(db, owner.orgSlug, { name: "x", scopes: ["root" as never] }).catch((e: AppError) => e);
    expect((err as AppError).code).toBe("VALIDATION_FAILED");
    expect((err as AppError).fields?.[0]?.path).toBe("scopes.0");
  });
});
