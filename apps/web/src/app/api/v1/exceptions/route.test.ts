import "../../../../server/test-env.ts";
import { randomBytes } from "node:crypto";
import { type Role } from "@bulwark/db";
import { afterAll, describe, expect, it, vi } from "vitest";

// Exceptions end to end on the real test database: who may request, approve and revoke, findings
// suppressed on approval and reopened on revocation, tenancy (another org's id is a 404), and bad
// scopes refused with field paths.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { apiRequest: req, makeOrgWith, params, uid } = await import("../../../../server/route-testing.ts");
const list = await import("./route.ts");
const one = await import("./[id]/route.ts");
const approve = await import("./[id]/approve/route.ts");
const reject = await import("./[id]/reject/route.ts");
const revoke = await import("./[id]/revoke/route.ts");

const BASE = "http://localhost:3000/api/v1/exceptions";

afterAll(async () => {
  await db().$disconnect();
});

/** Adds a member of `role` to the org and signs them in. */
async function signIn(orgId: string, role: Role) {
  const user = await db().user.create({ data: { email: `${role.toLowerCase()}-${uid()}@test.local` } });
  await db().membership.create({ data: { orgId, userId: user.id, role } });
  session.userId = user.id;
  return user;
}

async function openFindings(orgId: string, n: number) {
  const ruleId = `CVE-2033-${parseInt(uid(), 16)}`;
  const image = await db().image.create({ data: { orgId, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: "ghcr.io", repository: "acme/api", tags: [] } });
  await db().finding.createMany({
    data: [...Array(n).keys()].map((i) => ({ orgId, fingerprint: uid(), type: "VULNERABILITY" as const, severity: "HIGH" as const, title: `f${i}`, ruleId, source: "test", imageId: image.id })),
  });
  return ruleId;
}

const post = (url: string, body?: unknown) => req(url, { method: "POST", ...(body !== undefined ? { body } : {}) });
type Created = { exception: { id: string; status: string }; matchCount: number; warnings: { code: string }[]; notes: string[] };

describe("exceptions API", () => {
  it("viewers cannot request; analysts request but cannot approve; an admin approves and the findings are suppressed", async () => {
    const { org } = await makeOrgWith("OWNER", "exc");
    const ruleId = await openFindings(org.id, 3);
    const body = { kind: "RISK_ACCEPTED", scope: { advisory: ruleId, imageRepository: "ghcr.io/acme/api" }, reason: "Not reachable from the network" };

    await signIn(org.id, "VIEWER");
    const denied = await list.POST(post(BASE, body), undefined);
    expect(denied.status).toBe(403);
    expect(denied.headers.get("content-type")).toContain("application/problem+json");

    await signIn(org.id, "ANALYST");
    const created = await list.POST(post(BASE, body), undefined);
    expect(created.status).toBe(201);
    const c = (await created.json()) as Created;
    expect(created.headers.get("location")).toBe(`/api/v1/exceptions/${c.exception.id}`);
    expect(c).toMatchObject({ matchCount: 3, warnings: [], exception: { status: "REQUESTED" } });
    const url = `${BASE}/${c.exception.id}`;
    expect((await approve.POST(post(`${url}/approve`), params({ id: c.exception.id }))).status).toBe(403);

    await signIn(org.id, "ADMIN");
    const approved = await approve.POST(post(`${url}/approve`, { note: "accepted for Q1" }), params({ id: c.exception.id }));
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ suppressed: 3, exception: { status: "APPROVED", state: "approved", matchCount: 3, flags: [] } });
    expect(await db().finding.count({ where: { orgId: org.id, ruleId, status: "SUPPRESSED", exceptionId: c.exception.id } })).toBe(3);
    expect((await approve.POST(post(`${url}/approve`), params({ id: c.exception.id }))).status).toBe(409);

    const detail = await one.GET(req(url), params({ id: c.exception.id }));
    expect(await detail.json()).toMatchObject({ id: c.exception.id, suppressedCount: 3 });
    const page = (await (await list.GET(req(`${BASE}?status=APPROVED`), undefined)).json()) as { items: { id: string }[] };
    expect(page.items.map((i) => i.id)).toEqual([c.exception.id]);

    const revoked = await revoke.POST(post(`${url}/revoke`), params({ id: c.exception.id }));
    expect(await revoked.json()).toMatchObject({ reopened: 3, reapplied: 0, exception: { status: "REVOKED" } });
    expect(await db().finding.count({ where: { orgId: org.id, ruleId, status: "OPEN", exceptionId: null } })).toBe(3);
    const audit = await db().auditLog.findMany({ where: { orgId: org.id, targetId: c.exception.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["exception.requested", "exception.approved", "exception.revoked"]);
  });

  it("rejects with a note; another organization's id is a 404; bad scopes are 400s with field paths", async () => {
    const { org } = await makeOrgWith("OWNER", "exc");
    await signIn(org.id, "ANALYST");
    const c = (await (await list.POST(post(BASE, { kind: "FALSE_POSITIVE", scope: { rule: "AVD-KSV-0017", namespace: "payments" }, reason: "Scanner misreads the chart" }), undefined)).json()) as Created;
    expect(c.warnings.map((w) => w.code)).toEqual(["matches-nothing"]);
    expect(c.notes.join(" ")).toContain("have no location");

    const other = await makeOrgWith("OWNER", "exc-other");
    session.userId = other.user.id;
    const id = c.exception.id;
    expect((await one.GET(req(`${BASE}/${id}`), params({ id }))).status).toBe(404);
    expect((await approve.POST(post(`${BASE}/${id}/approve`), params({ id }))).status).toBe(404);
    expect((await revoke.POST(post(`${BASE}/${id}/revoke`), params({ id }))).status).toBe(404);
    const otherList = (await (await list.GET(req(BASE), undefined)).json()) as { items: unknown[] };
    expect(otherList.items).toEqual([]);

    await signIn(org.id, "ADMIN");
    const rejected = await reject.POST(post(`${BASE}/${id}/reject`, { note: "Fix the chart instead" }), params({ id }));
    expect(await rejected.json()).toMatchObject({ exception: { status: "REJECTED", closeNote: "Fix the chart instead" } });

    const bad = await list.POST(
      post(BASE, { kind: "RISK_ACCEPTED", scope: { advisory: "CVE-2024-1", policyId: "no-privileged", imageRepository: "nginx:latest", bogus: true }, reason: "" }),
      undefined,
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["reason", "scope", "scope.imageRepository"]);
    const empty = (await (await list.POST(post(BASE, { kind: "RISK_ACCEPTED", scope: {}, reason: "x" }), undefined)).json()) as { errors: { path: string }[] };
    expect(empty.errors.map((e) => e.path)).toEqual(["scope"]);
    expect((await list.GET(req(`${BASE}?flag=everything`), undefined)).status).toBe(400);
  });
});
