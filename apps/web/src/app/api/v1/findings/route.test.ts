import "../../../../server/test-env.ts";
import { randomBytes } from "node:crypto";
import { type Role } from "@bulwark/db";
import { afterAll, describe, expect, it, vi } from "vitest";

// The findings explorer API end to end on the real test database: the list and its filters, the CSV
// export, bulk triage (roles, tenancy), the detail and saved views.

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, email: "x" }, expires: "" } : null),
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../server/db.ts");
const { apiRequest: req, makeOrgWith, params, uid } = await import("../../../../server/route-testing.ts");
const list = await import("./route.ts");
const exportCsv = await import("./export.csv/route.ts");
const triage = await import("./triage/route.ts");
const one = await import("./[id]/route.ts");
const views = await import("../saved-views/route.ts");
const view = await import("../saved-views/[id]/route.ts");

const BASE = "http://localhost:3000/api/v1";

afterAll(async () => {
  await db().$disconnect();
});

async function signIn(orgId: string, role: Role) {
  const user = await db().user.create({ data: { email: `${role.toLowerCase()}-${uid()}@test.local` } });
  await db().membership.create({ data: { orgId, userId: user.id, role } });
  session.userId = user.id;
  return user;
}

async function estate(orgId: string) {
  const image = await db().image.create({ data: { orgId, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: "ghcr.io", repository: "acme/api", tags: ["2.0"] } });
  const mk = (severity: "CRITICAL" | "LOW", title: string) =>
    db().finding.create({ data: { orgId, fingerprint: uid(), type: "VULNERABILITY", severity, title, ruleId: `CVE-2030-${parseInt(uid(), 16)}`, source: "trivy", imageId: image.id, packageName: "zlib" } });
  return { image, crit: await mk("CRITICAL", "=SUM(1,2)"), low: await mk("LOW", "minor") };
}

type Page = { items: { id: string; severity: string; image: string }[]; nextCursor: string | null; total: { count: number; exact: boolean } };

describe("findings API", () => {
  it("lists with filters and pages, and answers bad filters with field paths", async () => {
    const { org } = await makeOrgWith("OWNER", "fapi");
    const e = await estate(org.id);
    await signIn(org.id, "VIEWER");
    const all = (await (await list.GET(req(`${BASE}/findings?limit=1`), undefined)).json()) as Page;
    expect(all.items).toEqual([expect.objectContaining({ id: e.crit.id, severity: "CRITICAL", image: "ghcr.io/acme/api:2.0" })]);
    expect(all.total).toMatchObject({ count: 2, exact: true });
    const next = (await (await list.GET(req(`${BASE}/findings?limit=1&cursor=${all.nextCursor}`), undefined)).json()) as Page;
    expect(next.items.map((i) => i.id)).toEqual([e.low.id]);
    expect(next.nextCursor).toBeNull();
    const low = (await (await list.GET(req(`${BASE}/findings?severity=LOW`), undefined)).json()) as Page;
    expect(low.items.map((i) => i.id)).toEqual([e.low.id]);

    const bad = await list.GET(req(`${BASE}/findings?severity=SEVERE&sort=name`), undefined);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((x) => x.path).sort()).toEqual(["severity.0", "sort"]);
    session.userId = null;
    expect((await list.GET(req(`${BASE}/findings`), undefined)).status).toBe(401);
  });

  it("exports CSV as an attachment, formula-safe, with the same filters", async () => {
    const { org } = await makeOrgWith("OWNER", "fcsv");
    const e = await estate(org.id);
    await signIn(org.id, "VIEWER");
    const res = await exportCsv.GET(req(`${BASE}/findings/export.csv?q=zlib`), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="bulwark-findings-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toMatch(/^id,severity,type,status,title,/);
    expect(lines[1]).toContain(`${e.crit.id},CRITICAL,VULNERABILITY,OPEN,"'=SUM(1,2)"`);
    expect(lines[2]).toContain(e.low.id);
    expect(lines).toHaveLength(4); // header, two rows, and the empty string after the last CRLF
    expect((await exportCsv.GET(req(`${BASE}/findings/export.csv?type=NOPE`), undefined)).status).toBe(400);
  });

  it("triage: viewers get 403, analysts request exceptions, another org's id is a 404", async () => {
    const { org } = await makeOrgWith("OWNER", "ftri");
    const e = await estate(org.id);
    const other = await makeOrgWith("OWNER", "ftri2");
    const foreign = await estate(other.org.id);
    const body = { ids: [e.crit.id], action: "request-exception", reason: "Mitigated by WAF" };

    await signIn(org.id, "VIEWER");
    expect((await triage.POST(req(`${BASE}/findings/triage`, { method: "POST", body }), undefined)).status).toBe(403);
    await signIn(org.id, "ANALYST");
    const ok = await triage.POST(req(`${BASE}/findings/triage`, { method: "POST", body }), undefined);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ selected: 1, exceptions: [{ findings: 1, approved: false }] });
    const cross = await triage.POST(req(`${BASE}/findings/triage`, { method: "POST", body: { ...body, ids: [foreign.crit.id] } }), undefined);
    expect(cross.status).toBe(404);
    const invalid = await triage.POST(req(`${BASE}/findings/triage`, { method: "POST", body: { ...body, action: "delete" } }), undefined);
    expect(invalid.status).toBe(400);

    const detail = await one.GET(req(`${BASE}/findings/${e.crit.id}`), params({ id: e.crit.id }));
    expect(await detail.json()).toMatchObject({ id: e.crit.id, image: { repository: "acme/api" }, history: expect.arrayContaining([expect.objectContaining({ kind: "triage" })]) });
    expect((await one.GET(req(`${BASE}/findings/${foreign.crit.id}`), params({ id: foreign.crit.id }))).status).toBe(404);
  });

  it("saved views: create, list, refuse duplicates and bad queries, delete", async () => {
    const { org } = await makeOrgWith("OWNER", "fsv");
    await signIn(org.id, "ANALYST");
    const created = await views.POST(req(`${BASE}/saved-views`, { method: "POST", body: { name: "Crit", query: "severity=CRITICAL", shared: true } }), undefined);
    expect(created.status).toBe(201);
    const v = (await created.json()) as { id: string; query: string };
    expect(created.headers.get("location")).toBe(`/api/v1/saved-views/${v.id}`);
    expect((await views.POST(req(`${BASE}/saved-views`, { method: "POST", body: { name: "Crit", query: "" } }), undefined)).status).toBe(409);
    const bad = await views.POST(req(`${BASE}/saved-views`, { method: "POST", body: { name: "Bad", query: "status=GONE" } }), undefined);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe("query.status.0");
    const listed = (await (await views.GET(req(`${BASE}/saved-views?page=findings`), undefined)).json()) as { items: { id: string }[] };
    expect(listed.items.map((x) => x.id)).toEqual([v.id]);
    await signIn(org.id, "VIEWER");
    expect((await view.DELETE(req(`${BASE}/saved-views/${v.id}`, { method: "DELETE" }), params({ id: v.id }))).status).toBe(403);
    await signIn(org.id, "ADMIN");
    expect((await view.DELETE(req(`${BASE}/saved-views/${v.id}`, { method: "DELETE" }), params({ id: v.id }))).status).toBe(200);
    expect((await view.DELETE(req(`${BASE}/saved-views/${v.id}`, { method: "DELETE" }), params({ id: v.id }))).status).toBe(404);
  });
});
