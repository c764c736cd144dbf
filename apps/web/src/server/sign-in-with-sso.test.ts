import { AppError, signInWithSso } from "@bulwark/core";
import { createDb, type Db } from "@bulwark/db";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The OIDC provider in auth.ts hands the identity to this use case; these are the rules it relies on.
let db: Db;
beforeAll(() => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is required (npm test sets it)");
  db = createDb(url, { max: 2 });
});
afterAll(async () => {
  await db.$disconnect();
});

const email = () => `sso-${randomBytes(5).toString("hex")}@Example.com`;

async function code(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return (e as AppError).code;
}

describe("signInWithSso", () => {
  it("creates a password-less user with no membership on first sign-in, then reuses it", async () => {
    const addr = email();
    const first = await signInWithSso(db, { email: addr, emailVerified: true, name: "Sam Sso" });
    expect(first.created).toBe(true);
    expect(first.email).toBe(addr.toLowerCase());
    const row = await db.user.findUniqueOrThrow({ where: { id: first.id }, include: { memberships: true } });
    expect(row.passwordHash).toBeNull();
    expect(row.memberships).toHaveLength(0);
    expect(row.lastLoginAt).not.toBeNull();

    const again = await signInWithSso(db, { email: addr.toUpperCase(), emailVerified: true });
    expect(again).toMatchObject({ id: first.id, created: false, name: "Sam Sso" });
  });

  it("matches an existing password account by email without touching its password", async () => {
    const addr = email().toLowerCase();
    const user = await db.user.create({ data: { email: addr, passwordHash: "argon2-hash-placeholder" } });
    const r = await signInWithSso(db, { email: addr, emailVerified: true });
    expect(r.id).toBe(user.id);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe("argon2-hash-placeholder");
  });

  it("refuses unverified addresses, missing addresses and disabled accounts", async () => {
    const addr = email().toLowerCase();
    expect(await code(signInWithSso(db, { email: addr, emailVerified: false }))).toBe("UNAUTHENTICATED");
    expect(await db.user.findUnique({ where: { email: addr } })).toBeNull();
    expect(await code(signInWithSso(db, { email: undefined, emailVerified: true }))).toBe("UNAUTHENTICATED");
    await db.user.create({ data: { email: addr, disabled: true } });
    expect(await code(signInWithSso(db, { email: addr, emailVerified: true }))).toBe("UNAUTHENTICATED");
  });
});
