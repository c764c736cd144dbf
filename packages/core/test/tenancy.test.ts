import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { AppError } from "../src/errors.ts";
import { createApiTokenForOrg } from "../src/use-cases/create-api-token.ts";
import { authenticateToken } from "../src/use-cases/authenticate-token.ts";
import { getCluster } from "../src/use-cases/get-cluster.ts";
import { getWorkload } from "../src/use-cases/get-workload.ts";
import { getFinding } from "../src/use-cases/get-finding.ts";
import { getOverview } from "../src/use-cases/get-overview.ts";
import { changeMemberRole } from "../src/use-cases/change-member-role.ts";
import { makeEstate, makeMember, makeOrg, testDb, userCtx } from "./helpers.ts";

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

async function expectCode(p: Promise<unknown>, code: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

describe("tenancy", () => {
  it("answers 404 for another organization's cluster, workload and finding, for users and tokens", async () => {
    const a = await makeOrg(db, "a");
    const b = await makeOrg(db, "b");
    const estateA = await makeEstate(db, a.id, ["CRITICAL"], "MISCONFIGURATION");
    const { user: userB } = await makeMember(db, b.id, "OWNER");
    const ctxB = userCtx(b.id, userB, "OWNER");
    const tokenB = await createApiTokenForOrg(db, b.slug, { name: "reader", scopes: ["read"] });
    const tokenCtxB = await authenticateToken(db, tokenB.token, "read");
    expect(tokenCtxB.orgId).toBe(b.id);

    for (const ctx of [ctxB, tokenCtxB]) {
      const e1 = await expectCode(getCluster(db, ctx, estateA.cluster.id), "NOT_FOUND");
      expect(e1.status).toBe(404);
      await expectCode(getWorkload(db, ctx, estateA.workload.id), "NOT_FOUND");
      await expectCode(getFinding(db, ctx, estateA.findings[0]!.id), "NOT_FOUND");
    }

    // The owner of A sees the same objects.
    const { user: userA } = await makeMember(db, a.id, "VIEWER");
    const ctxA = userCtx(a.id, userA, "VIEWER");
    expect((await getCluster(db, ctxA, estateA.cluster.id)).name).toBe(estateA.cluster.name);
    expect((await getWorkload(db, ctxA, estateA.workload.id)).containers).toHaveLength(1);
    expect((await getFinding(db, ctxA, estateA.findings[0]!.id)).severity).toBe("CRITICAL");
  });

  it("counts only the caller's organization in the overview", async () => {
    const a = await makeOrg(db, "a");
    const b = await makeOrg(db, "b");
    await makeEstate(db, a.id, ["CRITICAL", "HIGH", "HIGH"]);
    await makeEstate(db, b.id, ["LOW"]);
    const { user } = await makeMember(db, a.id, "VIEWER");
    const o = await getOverview(db, userCtx(a.id, user, "VIEWER"));
    expect(o.openBySeverity).toEqual({ CRITICAL: 1, HIGH: 2, MEDIUM: 0, LOW: 0, INFO: 0 });
    expect(o.clusters).toBe(1);
    expect(o.workloads).toBe(1);
    expect(o.images).toBe(1);
  });

  it("cannot change a membership of another organization (404)", async () => {
    const a = await makeOrg(db, "a");
    const b = await makeOrg(db, "b");
    const { membership } = await makeMember(db, a.id, "ANALYST");
    const { user: ownerB } = await makeMember(db, b.id, "OWNER");
    await expectCode(changeMemberRole(db, userCtx(b.id, ownerB, "OWNER"), membership.id, { role: "VIEWER" }), "NOT_FOUND");
    expect((await db.membership.findUniqueOrThrow({ where: { id: membership.id } })).role).toBe("ANALYST");
  });

  it("a token reader needs the read scope", async () => {
    const a = await makeOrg(db, "a");
    const estate = await makeEstate(db, a.id);
    const ingest = await createApiTokenForOrg(db, a.slug, { name: "ingest-only", scopes: ["ingest"] });
    const ctx = await authenticateToken(db, ingest.token);
    await expectCode(getCluster(db, ctx, estate.cluster.id), "FORBIDDEN");
    await expectCode(authenticateToken(db, ingest.token, "read"), "FORBIDDEN");
  });
});
