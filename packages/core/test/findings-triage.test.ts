import { randomBytes } from "node:crypto";
import { type Db } from "@bulwark/db";
import { afterAll, describe, expect, it } from "vitest";
import { createSavedView } from "../src/use-cases/create-saved-view.ts";
import { deleteSavedView } from "../src/use-cases/delete-saved-view.ts";
import { getFindingDetail } from "../src/use-cases/get-finding-detail.ts";
import { listSavedViews } from "../src/use-cases/list-saved-views.ts";
import { triageFindings } from "../src/use-cases/triage-findings.ts";
import { caught, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

// Bulk triage from the explorer (exception requests per scope, admins' false positives approved at
// once, reopen that respects exceptions in force, tenancy) and saved views.

const db: Db = testDb();
afterAll(async () => {
  await db.$disconnect();
});

async function org() {
  const o = await makeOrg(db, "tri");
  const member = async (role: "OWNER" | "ADMIN" | "ANALYST" | "VIEWER") => {
    const { user } = await makeMember(db, o.id, role);
    return userCtx(o.id, user, role);
  };
  const image = await db.image.create({ data: { orgId: o.id, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: "ghcr.io", repository: "acme/api", tags: [] } });
  const ruleId = `CVE-2031-${parseInt(uid(), 16)}`;
  const mk = (rule = ruleId) => db.finding.create({ data: { orgId: o.id, fingerprint: uid(), type: "VULNERABILITY", severity: "HIGH", title: "t", ruleId: rule, source: "trivy", imageId: image.id } });
  return { org: o, member, image, ruleId, mk };
}

describe("triageFindings", () => {
  it("refuses viewers; an analyst's request groups findings by scope and audits each finding", async () => {
    const o = await org();
    const [f1, f2, f3] = [await o.mk(), await o.mk(), await o.mk(`CVE-2032-${parseInt(uid(), 16)}`)];
    const viewer = await o.member("VIEWER");
    expect((await caught(triageFindings(db, viewer, { ids: [f1.id], action: "request-exception", reason: "r" }))).code).toBe("FORBIDDEN");

    const analyst = await o.member("ANALYST");
    const r = await triageFindings(db, analyst, { ids: [f1.id, f2.id, f3.id], action: "request-exception", reason: "Not reachable" });
    expect(r.selected).toBe(3);
    expect(r.exceptions).toHaveLength(2);
    expect(r.exceptions.find((x) => x.findings === 2)).toMatchObject({ scope: { advisory: o.ruleId, imageRepository: "ghcr.io/acme/api" }, approved: false });
    const rows = await db.exception.findMany({ where: { orgId: o.org.id } });
    expect(rows.map((x) => x.status)).toEqual(["REQUESTED", "REQUESTED"]);
    expect(rows.every((x) => x.kind === "RISK_ACCEPTED")).toBe(true);
    expect(await db.finding.count({ where: { orgId: o.org.id, status: "OPEN" } })).toBe(3);
    expect(await db.auditLog.count({ where: { orgId: o.org.id, action: "finding.exception-requested" } })).toBe(3);
    const detail = await getFindingDetail(db, analyst, f1.id);
    expect(detail.history.some((h) => h.kind === "triage" && h.actor === (analyst.actor as { email: string }).email && h.detail === "Not reachable")).toBe(true);
  });

  it("an admin's false positive is approved at once; reopen leaves covered findings suppressed until the exception goes", async () => {
    const o = await org();
    const [f1, f2] = [await o.mk(), await o.mk()];
    const admin = await o.member("ADMIN");
    const r = await triageFindings(db, admin, { ids: [f1.id, f2.id], action: "mark-false-positive", reason: "Patched in our fork" });
    expect(r.exceptions).toEqual([expect.objectContaining({ approved: true, findings: 2 })]);
    expect(await db.finding.count({ where: { orgId: o.org.id, status: "SUPPRESSED", exceptionId: r.exceptions[0]!.id } })).toBe(2);

    const analyst = await o.member("ANALYST");
    const still = await triageFindings(db, analyst, { ids: [f1.id], action: "reopen", reason: "Not fixed after all" });
    expect(still.reopened).toBe(0);
    expect(still.skipped[0]?.reason).toContain(r.exceptions[0]!.id);
    expect((await db.finding.findUniqueOrThrow({ where: { id: f1.id } })).status).toBe("SUPPRESSED");

    // A finding suppressed with no exception in force (revoked meanwhile) and a resolved one both reopen.
    await db.exception.update({ where: { id: r.exceptions[0]!.id }, data: { status: "REVOKED" } });
    await db.finding.update({ where: { id: f2.id }, data: { status: "RESOLVED", exceptionId: null, resolvedAt: new Date() } });
    const done = await triageFindings(db, analyst, { ids: [f1.id, f2.id], action: "reopen", reason: "Back on the list" });
    expect(done.reopened).toBe(2);
    const after = await db.finding.findMany({ where: { id: { in: [f1.id, f2.id] } } });
    expect(after.map((f) => [f.status, f.exceptionId, f.resolvedAt])).toEqual([
      ["OPEN", null, null],
      ["OPEN", null, null],
    ]);
    expect(await db.auditLog.count({ where: { orgId: o.org.id, action: "finding.reopened" } })).toBe(2);
  });

  it("an analyst's false positive waits for approval; selection by filter is bounded", async () => {
    const o = await org();
    await o.mk();
    const analyst = await o.member("ANALYST");
    const r = await triageFindings(db, analyst, { filter: `rule=${o.ruleId}`, action: "mark-false-positive", reason: "Wrong package match" });
    expect(r.exceptions).toEqual([expect.objectContaining({ approved: false, findings: 1 })]);
    expect((await db.exception.findUniqueOrThrow({ where: { id: r.exceptions[0]!.id } })).kind).toBe("FALSE_POSITIVE");
    const bad = await caught(triageFindings(db, analyst, { action: "reopen", reason: "x" }));
    expect(bad.fields?.[0]?.path).toBe("ids");
    expect((await caught(triageFindings(db, analyst, { filter: "severity=BAD", action: "reopen", reason: "x" }))).fields?.[0]?.path).toBe("filter.severity.0");
    // A filter matching more than MAX_TRIAGE findings is refused rather than cut short.
    await db.finding.createMany({ data: Array.from({ length: 501 }, () => ({ orgId: o.org.id, fingerprint: uid(), type: "SECRET" as const, severity: "LOW" as const, title: "t", ruleId: "aws-key", source: "trivy" })) });
    expect((await caught(triageFindings(db, analyst, { filter: "rule=aws-key", action: "request-exception", reason: "x" }))).fields?.[0]?.path).toBe("filter");
  });

  it("another organization's finding id is a 404 and changes nothing", async () => {
    const a = await org();
    const b = await org();
    const foreign = await a.mk();
    const mine = await b.mk();
    const admin = await b.member("ADMIN");
    expect((await caught(triageFindings(db, admin, { ids: [mine.id, foreign.id], action: "mark-false-positive", reason: "x" }))).code).toBe("NOT_FOUND");
    expect(await db.exception.count({ where: { orgId: { in: [a.org.id, b.org.id] } } })).toBe(0);
  });
});

describe("saved views", () => {
  it("validates the query, keeps names unique per user, shares with the org and audits shared ones", async () => {
    const o = await org();
    const analyst = await o.member("ANALYST");
    const viewer = await o.member("VIEWER");
    const admin = await o.member("ADMIN");
    const v = await createSavedView(db, analyst, { name: "Critical fixable", query: "severity=critical&fixable=true&cursor=abc", shared: true });
    expect(v.query).toBe("severity=CRITICAL&fixable=true");
    expect((await caught(createSavedView(db, analyst, { name: "Critical fixable", query: "" }))).code).toBe("CONFLICT");
    const bad = await caught(createSavedView(db, analyst, { name: "Bad", query: "severity=URGENT" }));
    expect(bad.fields?.[0]?.path).toBe("query.severity.0");
    expect((await caught(createSavedView(db, viewer, { name: "Mine", query: "", shared: true }))).code).toBe("FORBIDDEN");
    const mine = await createSavedView(db, viewer, { name: "Critical fixable", query: "type=SECRET" });

    expect((await listSavedViews(db, viewer)).map((x) => [x.name, x.mine, x.shared])).toEqual([
      ["Critical fixable", false, true],
      ["Critical fixable", true, false],
    ]);
    expect((await listSavedViews(db, analyst)).map((x) => x.id)).toEqual([v.id]);
    expect((await caught(deleteSavedView(db, analyst, mine.id))).code).toBe("NOT_FOUND");
    expect((await caught(deleteSavedView(db, viewer, v.id))).code).toBe("FORBIDDEN");
    await deleteSavedView(db, admin, v.id);
    expect(await db.auditLog.findMany({ where: { orgId: o.org.id, targetType: "saved-view" }, select: { action: true }, orderBy: { createdAt: "asc" } })).toEqual([
      { action: "saved-view.created" },
      { action: "saved-view.deleted" },
    ]);
    const other = await org();
    expect((await caught(deleteSavedView(db, await other.member("OWNER"), mine.id))).code).toBe("NOT_FOUND");
  });
});
