import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { AppError } from "../src/errors.ts";
import { inviteMember } from "../src/use-cases/invite-member.ts";
import { acceptInvitation, previewInvitation } from "../src/use-cases/accept-invitation.ts";
import { changeMemberRole } from "../src/use-cases/change-member-role.ts";
import { removeMember } from "../src/use-cases/remove-member.ts";
import { listAuditLog } from "../src/use-cases/list-audit-log.ts";
import { listMembers } from "../src/use-cases/list-members.ts";
import { createApiToken } from "../src/use-cases/create-api-token.ts";
import { sha256Hex } from "../src/crypto/tokens.ts";
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

describe("roles", () => {
  it("a VIEWER cannot perform admin actions (403) and nothing changes", async () => {
    const org = await makeOrg(db);
    const { user: viewer } = await makeMember(db, org.id, "VIEWER");
    const { membership: analyst } = await makeMember(db, org.id, "ANALYST");
    const ctx = userCtx(org.id, viewer, "VIEWER");
    expect(await codeOf(inviteMember(db, ctx, { email: `x-${uid()}@t.local`, role: "VIEWER" }))).toBe("FORBIDDEN");
    expect(await codeOf(changeMemberRole(db, ctx, analyst.id, { role: "ADMIN" }))).toBe("FORBIDDEN");
    expect(await codeOf(removeMember(db, ctx, analyst.id))).toBe("FORBIDDEN");
    expect(await codeOf(listAuditLog(db, ctx, {}))).toBe("FORBIDDEN");
    expect(await codeOf(createApiToken(db, ctx, { name: "t", scopes: ["ingest"] }))).toBe("FORBIDDEN");
    expect((await db.membership.findUniqueOrThrow({ where: { id: analyst.id } })).role).toBe("ANALYST");
    expect(await db.invitation.count({ where: { orgId: org.id } })).toBe(0);
    expect(await db.apiToken.count({ where: { orgId: org.id } })).toBe(0);
    // Reading members is allowed for every role.
    expect((await listMembers(db, ctx)).members).toHaveLength(2);
  });

  it("an ADMIN manages roles below owner, each change audited; owner rights stay with owners", async () => {
    const org = await makeOrg(db);
    const { user: owner, membership: ownerM } = await makeMember(db, org.id, "OWNER");
    const { user: admin } = await makeMember(db, org.id, "ADMIN");
    const { membership: analyst } = await makeMember(db, org.id, "ANALYST");
    const adminCtx = userCtx(org.id, admin, "ADMIN");

    await changeMemberRole(db, adminCtx, analyst.id, { role: "VIEWER" });
    expect((await db.membership.findUniqueOrThrow({ where: { id: analyst.id } })).role).toBe("VIEWER");
    expect(await codeOf(changeMemberRole(db, adminCtx, analyst.id, { role: "OWNER" }))).toBe("FORBIDDEN");
    expect(await codeOf(changeMemberRole(db, adminCtx, ownerM.id, { role: "VIEWER" }))).toBe("FORBIDDEN");
    // The last owner cannot be demoted, even by themselves.
    expect(await codeOf(changeMemberRole(db, userCtx(org.id, owner, "OWNER"), ownerM.id, { role: "ADMIN" }))).toBe("CONFLICT");

    const { entries } = await listAuditLog(db, userCtx(org.id, owner, "OWNER"), {});
    const change = entries.find((e) => e.action === "member.role_changed");
    expect(change).toMatchObject({ actorType: "USER", actorId: admin.id, targetId: analyst.id });
    expect(change?.metadata).toMatchObject({ from: "ANALYST", to: "VIEWER" });

    await removeMember(db, adminCtx, analyst.id);
    expect(await db.membership.findUnique({ where: { id: analyst.id } })).toBeNull();
    expect(await db.auditLog.count({ where: { orgId: org.id, action: "member.removed" } })).toBe(1);
  });

  it("rejects an invalid role with the field path", async () => {
    const org = await makeOrg(db);
    const { user: admin, membership } = await makeMember(db, org.id, "ADMIN");
    const err = await changeMemberRole(db, userCtx(org.id, admin, "ADMIN"), membership.id, { role: "ROOT" }).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    expect((err as AppError).fields?.[0]?.path).toBe("role");
  });
});

describe("invitations", () => {
  it("invite, preview and accept create the account and membership once; the secret is stored hashed", async () => {
    const org = await makeOrg(db);
    const { user: admin } = await makeMember(db, org.id, "ADMIN");
    const email = `New.User-${uid()}@Test.local`;
    const inv = await inviteMember(db, userCtx(org.id, admin, "ADMIN"), { email, role: "ANALYST" });
    const row = await db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(row.tokenHash).not.toBe(inv.token);
    expect(row.tokenHash).toBe(sha256Hex(inv.token));
    expect(row.email).toBe(email.toLowerCase());

    const preview = await previewInvitation(db, inv.token);
    expect(preview).toMatchObject({ email: email.toLowerCase(), role: "ANALYST", userExists: false });

    const missingPw = await acceptInvitation(db, { token: inv.token }).catch((e: AppError) => e);
    expect((missingPw as AppError).fields?.[0]?.path).toBe("password");

    const accepted = await acceptInvitation(db, { token: inv.token, name: "New User", password: "a-long-password" });
    const m = await db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId: org.id, userId: accepted.userId } } });
    expect(m.role).toBe("ANALYST");
    expect(await codeOf(acceptInvitation(db, { token: inv.token, password: "a-long-password" }))).toBe("NOT_FOUND");
    expect(await db.auditLog.count({ where: { orgId: org.id, action: { in: ["member.invited", "member.joined"] } } })).toBe(2);
  });

  it("expired invitations are refused and re-inviting replaces the pending one", async () => {
    const org = await makeOrg(db);
    const { user: admin } = await makeMember(db, org.id, "OWNER");
    const ctx = userCtx(org.id, admin, "OWNER");
    const email = `late-${uid()}@test.local`;
    const first = await inviteMember(db, ctx, { email, role: "VIEWER" });
    const second = await inviteMember(db, ctx, { email, role: "ADMIN" });
    expect(await codeOf(previewInvitation(db, first.token))).toBe("NOT_FOUND");
    await db.invitation.update({ where: { id: second.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await codeOf(acceptInvitation(db, { token: second.token, password: "a-long-password" }))).toBe("NOT_FOUND");
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses to invite an existing member", async () => {
    const org = await makeOrg(db);
    const { user: admin } = await makeMember(db, org.id, "ADMIN");
    const { user: other } = await makeMember(db, org.id, "VIEWER");
    expect(await codeOf(inviteMember(db, userCtx(org.id, admin, "ADMIN"), { email: other.email, role: "ANALYST" }))).toBe("CONFLICT");
  });
});
