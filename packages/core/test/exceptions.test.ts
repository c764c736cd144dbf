import { randomBytes } from "node:crypto";
import { type Db, type Role, withSqlTransaction } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyExceptions, releaseException } from "../src/exceptions/apply.ts";
import { exceptionsExpireJob } from "../src/exceptions/jobs.ts";
import { acceptReport } from "../src/use-cases/accept-report.ts";
import { approveException } from "../src/use-cases/approve-exception.ts";
import { ensureCurrentBundle } from "../src/use-cases/ensure-current-bundle.ts";
import { expireExceptions } from "../src/use-cases/expire-exceptions.ts";
import { getException } from "../src/use-cases/get-exception.ts";
import { listExceptions } from "../src/use-cases/list-exceptions.ts";
import { processReport } from "../src/use-cases/process-report.ts";
import { rejectException } from "../src/use-cases/reject-exception.ts";
import { requestException } from "../src/use-cases/request-exception.ts";
import { revokeException } from "../src/use-cases/revoke-exception.ts";
import { caught, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";
import { fixture, ingestOrg } from "./ingest-helpers.ts";

// The exception lifecycle on the real database: request → approve (findings suppressed) → revoke or
// expire (findings reopen unless another exception covers them), with roles, tenancy, audit rows, the
// enforcement bundle, and ingestion suppressing new findings as they arrive.

const TEST_KEY_SECRET = "bulwark-test-key-secret";
const DAY = 24 * 3600 * 1000;

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

async function team(orgId?: string) {
  const org = orgId ? await db.organization.findUniqueOrThrow({ where: { id: orgId } }) : await makeOrg(db, "exc");
  const as = async (role: Role) => userCtx(org.id, (await makeMember(db, org.id, role)).user, role);
  return { org, viewer: await as("VIEWER"), analyst: await as("ANALYST"), admin: await as("ADMIN"), as };
}

/** `n` open findings of one rule on one image, plus one of another rule (never matched). */
async function findings(orgId: string, n: number, ruleId = `CVE-2032-${parseInt(uid(), 16)}`) {
  const image = await db.image.create({ data: { orgId, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: "ghcr.io", repository: `acme/${uid()}`, tags: [] } });
  await db.finding.createMany({
    data: [...Array(n).keys()].map((i) => ({ orgId, fingerprint: uid(), type: "VULNERABILITY" as const, severity: "HIGH" as const, title: `f${i}`, ruleId, source: "test", imageId: image.id })),
  });
  await db.finding.create({ data: { orgId, fingerprint: uid(), type: "VULNERABILITY", severity: "LOW", title: "other", ruleId: `CVE-2032-${parseInt(uid(), 16)}`, source: "test", imageId: image.id } });
  return { image, ruleId };
}

const statuses = async (orgId: string, ruleId: string) =>
  (await db.finding.findMany({ where: { orgId, ruleId }, select: { status: true, exceptionId: true } })).map((f) => `${f.status}:${f.exceptionId ?? "-"}`);

const auditOf = (orgId: string, targetId: string) => db.auditLog.findMany({ where: { orgId, targetId }, orderBy: { createdAt: "asc" } });

describe("requesting exceptions", () => {
  it("needs ANALYST+, validates with field paths, and reports matches with warnings and notes", async () => {
    const { org, viewer, analyst } = await team();
    const { ruleId } = await findings(org.id, 3);
    const body = { kind: "RISK_ACCEPTED", scope: { advisory: ruleId }, reason: "Not reachable: the parser is never fed user input" };

    expect((await caught(requestException(db, viewer, body))).code).toBe("FORBIDDEN");
    const bad = await caught(requestException(db, analyst, { kind: "NOPE", scope: { namespace: "Bad NS" }, reason: "x".repeat(2001), expiresAt: "soon" }));
    expect(bad.code).toBe("VALIDATION_FAILED");
    expect(bad.fields!.map((f) => f.path).sort()).toEqual(["expiresAt", "kind", "reason", "scope.namespace"]);
    expect((await caught(requestException(db, analyst, { ...body, expiresAt: new Date(Date.now() - 1000).toISOString() }))).fields).toEqual([{ path: "expiresAt", message: "Must be in the future" }]);
    expect((await caught(requestException(db, analyst, { ...body, expiresAt: new Date(Date.now() + 400 * DAY).toISOString() }))).fields![0]!.path).toBe("expiresAt");

    const res = await requestException(db, analyst, { ...body, expiresAt: new Date(Date.now() + 30 * DAY).toISOString() });
    expect(res).toMatchObject({ matchCount: 3, warnings: [], exception: { status: "REQUESTED", state: "requested", kind: "RISK_ACCEPTED", scope: { advisory: ruleId } } });
    expect(res.exception.requestedBy).toEqual({ id: analyst.actor.type === "user" ? analyst.actor.userId : "", email: analyst.actor.type === "user" ? analyst.actor.email : "" });
    expect(res.notes.some((n) => n.includes("aliases"))).toBe(true);
    // Nothing is suppressed before approval.
    expect(await db.finding.count({ where: { orgId: org.id, status: "SUPPRESSED" } })).toBe(0);
    const audit = await auditOf(org.id, res.exception.id);
    expect(audit.map((a) => a.action)).toEqual(["exception.requested"]);
    expect(audit[0]!.metadata).toMatchObject({ kind: "RISK_ACCEPTED", scope: { advisory: ruleId }, fields: ["advisory"] });
  });

  it("warns when the scope matches nothing or more than 100 findings, and says location scopes miss image findings", async () => {
    const { org, analyst } = await team();
    const { ruleId } = await findings(org.id, 101);
    const broad = await requestException(db, analyst, { kind: "FALSE_POSITIVE", scope: { advisory: ruleId }, reason: "scanner mismatch" });
    expect(broad.matchCount).toBe(101);
    expect(broad.warnings.map((w) => w.code)).toEqual(["matches-over-100"]);
    const none = await requestException(db, analyst, { kind: "FALSE_POSITIVE", scope: { advisory: ruleId, namespace: "payments" }, reason: "x" });
    expect(none.matchCount).toBe(0);
    expect(none.warnings.map((w) => w.code)).toEqual(["matches-nothing"]);
    expect(none.notes.join(" ")).toMatch(/Image findings .* have no location/);
  });
});

describe("approving, rejecting, revoking", () => {
  it("an admin approves (findings suppressed, self-approval recorded); analysts cannot; twice is a conflict; other orgs get 404", async () => {
    const { org, analyst, admin } = await team();
    const { ruleId } = await findings(org.id, 2);
    const req = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope: { advisory: ruleId }, reason: "accepted" });
    expect((await caught(approveException(db, analyst, req.exception.id))).code).toBe("FORBIDDEN");
    const stranger = await team();
    expect((await caught(approveException(db, stranger.admin, req.exception.id))).code).toBe("NOT_FOUND");
    expect((await caught(getException(db, stranger.viewer, req.exception.id))).code).toBe("NOT_FOUND");

    const approved = await approveException(db, admin, req.exception.id, { note: "ok for Q1" });
    expect(approved.suppressed).toBe(2);
    expect(approved.exception).toMatchObject({ status: "APPROVED", state: "approved", matchCount: 2 });
    expect(await statuses(org.id, ruleId)).toEqual([`SUPPRESSED:${req.exception.id}`, `SUPPRESSED:${req.exception.id}`]);
    expect((await caught(approveException(db, admin, req.exception.id))).code).toBe("CONFLICT");
    expect(await getException(db, analyst, req.exception.id)).toMatchObject({ suppressedCount: 2, approvedBy: { email: admin.actor.type === "user" ? admin.actor.email : "" } });

    const own = await requestException(db, admin, { kind: "RISK_ACCEPTED", scope: { rule: `AVD-${uid()}` }, reason: "mine" });
    await approveException(db, admin, own.exception.id);
    const [first, second] = await Promise.all([auditOf(org.id, req.exception.id), auditOf(org.id, own.exception.id)]);
    expect(first.map((a) => [a.action, (a.metadata as { selfApproved?: boolean }).selfApproved])).toEqual([["exception.requested", undefined], ["exception.approved", false]]);
    expect(first[1]!.metadata).toMatchObject({ suppressed: 2, note: "ok for Q1" });
    expect(second.map((a) => [a.action, (a.metadata as { selfApproved?: boolean }).selfApproved])).toEqual([["exception.requested", undefined], ["exception.approved", true]]);
  });

  it("rejects with a note; the requester withdraws, others cannot; decided ones are conflicts", async () => {
    const { org, analyst, admin, as } = await team();
    const scope = { rule: `AVD-${uid()}` };
    const a = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope, reason: "a" });
    expect((await caught(rejectException(db, analyst, a.exception.id))).code).toBe("FORBIDDEN");
    const rejected = await rejectException(db, admin, a.exception.id, { note: "Fix it instead" });
    expect(rejected).toMatchObject({ status: "REJECTED", state: "rejected", closeNote: "Fix it instead", closedBy: { email: admin.actor.type === "user" ? admin.actor.email : "" } });
    expect((await caught(rejectException(db, admin, a.exception.id))).code).toBe("CONFLICT");
    expect((await caught(approveException(db, admin, a.exception.id))).code).toBe("CONFLICT");

    const b = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope, reason: "b" });
    const otherAnalyst = await as("ANALYST");
    expect((await caught(revokeException(db, otherAnalyst, b.exception.id))).code).toBe("FORBIDDEN");
    expect((await caught(revokeException(db, admin, b.exception.id))).code).toBe("FORBIDDEN");
    const withdrawn = await revokeException(db, analyst, b.exception.id, { note: "not needed" });
    expect(withdrawn.exception).toMatchObject({ status: "REVOKED", closeNote: "not needed" });
    expect((await caught(revokeException(db, analyst, b.exception.id))).code).toBe("CONFLICT");
    expect((await auditOf(org.id, a.exception.id)).map((r) => r.action)).toEqual(["exception.requested", "exception.rejected"]);
    expect((await auditOf(org.id, b.exception.id)).map((r) => r.action)).toEqual(["exception.requested", "exception.withdrawn"]);
  });

  it("revoking reopens suppressed findings, hands covered ones to another exception, and leaves resolved ones resolved", async () => {
    const { org, analyst, admin } = await team();
    const { image, ruleId } = await findings(org.id, 3);
    const broad = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope: { advisory: ruleId }, reason: "broad" });
    await approveException(db, admin, broad.exception.id);
    const digestScoped = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope: { advisory: ruleId, imageDigest: image.digest }, reason: "narrow" });
    // Everything is already suppressed by the first: approving the second suppresses nothing new.
    expect((await approveException(db, admin, digestScoped.exception.id)).suppressed).toBe(0);

    const [resolved] = await db.finding.findMany({ where: { orgId: org.id, ruleId }, take: 1 });
    await db.finding.update({ where: { id: resolved!.id }, data: { status: "RESOLVED", resolvedAt: new Date() } });
    expect((await caught(revokeException(db, analyst, broad.exception.id))).code).toBe("FORBIDDEN");
    const revoked = await revokeException(db, admin, broad.exception.id, { note: "fixed upstream" });
    expect(revoked).toMatchObject({ reapplied: 2, reopened: 0, exception: { status: "REVOKED" } });
    expect((await statuses(org.id, ruleId)).sort()).toEqual([`RESOLVED:${broad.exception.id}`, `SUPPRESSED:${digestScoped.exception.id}`, `SUPPRESSED:${digestScoped.exception.id}`]);

    const second = await revokeException(db, admin, digestScoped.exception.id);
    expect(second).toMatchObject({ reapplied: 0, reopened: 2 });
    expect((await statuses(org.id, ruleId)).sort()).toEqual(["OPEN:-", "OPEN:-", `RESOLVED:${broad.exception.id}`]);
    const audit = await auditOf(org.id, broad.exception.id);
    expect(audit.at(-1)).toMatchObject({ action: "exception.revoked", metadata: { reapplied: 2, reopened: 0, released: 2, note: "fixed upstream" } });
  });
});

describe("expiry", () => {
  it("reopens what an expired exception covered, once, with a system audit row", async () => {
    const { org, analyst, admin } = await team();
    const { ruleId } = await findings(org.id, 2);
    const req = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope: { advisory: ruleId }, reason: "until the fix ships", expiresAt: new Date(Date.now() + DAY).toISOString() });
    await approveException(db, admin, req.exception.id);
    expect(await statuses(org.id, ruleId)).toEqual([`SUPPRESSED:${req.exception.id}`, `SUPPRESSED:${req.exception.id}`]);
    expect((await expireExceptions(db)).expired).toBeGreaterThanOrEqual(0);
    expect(await statuses(org.id, ruleId)).toEqual([`SUPPRESSED:${req.exception.id}`, `SUPPRESSED:${req.exception.id}`]);

    // Time passes: the exception's expiry is now behind us.
    await db.exception.update({ where: { id: req.exception.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    // New findings are no longer suppressed by it, even before the job runs.
    expect(await applyExceptions(db, org.id)).toBe(0);
    const result = (await exceptionsExpireJob.handle({}, { db, logger: { info: () => undefined } } as never, {} as never)) as { expired: number; reopened: number };
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(result.reopened).toBeGreaterThanOrEqual(2);
    expect(await statuses(org.id, ruleId)).toEqual(["OPEN:-", "OPEN:-"]);
    const row = await getException(db, analyst, req.exception.id);
    expect(row).toMatchObject({ status: "APPROVED", state: "expired", expiredAt: expect.any(Date), suppressedCount: 0 });

    await expireExceptions(db);
    const audit = await auditOf(org.id, req.exception.id);
    expect(audit.filter((a) => a.action === "exception.expired")).toEqual([expect.objectContaining({ actorType: "SYSTEM", metadata: expect.objectContaining({ reopened: 2 }) })]);
  });
});

describe("applying and releasing", () => {
  it("apply respects the target, release re-applies other exceptions to exactly those findings", async () => {
    const { org, analyst } = await team();
    const a = await findings(org.id, 2);
    const b = await findings(org.id, 2, a.ruleId);
    const ex = await requestException(db, analyst, { kind: "FALSE_POSITIVE", scope: { advisory: a.ruleId }, reason: "x" });
    // Approve without the use case's own apply, to exercise targets.
    await db.exception.update({ where: { id: ex.exception.id }, data: { status: "APPROVED", approvedAt: new Date() } });
    // On the plain pg transaction Trivy batches use (COPY-capable), as on Prisma's.
    expect(await withSqlTransaction(db, (tx) => applyExceptions(tx, org.id, { imageIds: [b.image.id] }))).toBe(2);
    const [one] = await db.finding.findMany({ where: { orgId: org.id, imageId: a.image.id, ruleId: a.ruleId }, take: 1 });
    expect(await applyExceptions(db, org.id, { findingIds: [one!.id] })).toBe(1);
    expect(await applyExceptions(db, org.id, {})).toBe(0);
    expect(await applyExceptions(db, org.id)).toBe(1);
    expect(await db.finding.count({ where: { orgId: org.id, exceptionId: ex.exception.id, status: "SUPPRESSED" } })).toBe(4);

    const narrow = await requestException(db, analyst, { kind: "FALSE_POSITIVE", scope: { imageDigest: b.image.digest }, reason: "y" });
    await db.exception.update({ where: { id: narrow.exception.id }, data: { status: "APPROVED", approvedAt: new Date() } });
    await db.exception.update({ where: { id: ex.exception.id }, data: { status: "REVOKED" } });
    expect(await releaseException(db, org.id, ex.exception.id)).toEqual({ released: 4, reapplied: 2, reopened: 2, alertable: [] });
    // b's image also has a finding of another rule; the narrow exception only took over released ones.
    expect(await db.finding.count({ where: { orgId: org.id, exceptionId: narrow.exception.id } })).toBe(2);
    expect(await applyExceptions(db, org.id)).toBe(1);
  });

  it("ingestion suppresses new findings an approved exception covers, on the single and the batched path", async () => {
    const { org, ctx: ingest } = await ingestOrg(db);
    const { analyst, admin } = await team(org.id);
    const req = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope: { advisory: "CVE-2019-1549" }, reason: "openssl in a scratch image" });
    expect(req.warnings.map((w) => w.code)).toEqual(["matches-nothing"]);
    await approveException(db, admin, req.exception.id);

    const first = await acceptReport(db, null, ingest, { kind: "TRIVY", body: fixture("trivy/alpine-310.json.golden"), subject: null });
    await processReport(db, first.id, { batchSize: 1 });
    const count = () => db.finding.groupBy({ by: ["ruleId", "status"], where: { orgId: org.id }, _count: true, orderBy: [{ ruleId: "asc" }, { status: "asc" }] });
    expect((await count()).map((g) => [g.ruleId, g.status])).toEqual([
      ["CVE-2019-1549", "SUPPRESSED"],
      ["CVE-2019-1551", "OPEN"],
    ]);

    // Two waiting reports are stored together on the COPY transaction.
    const debian = await acceptReport(db, null, ingest, { kind: "TRIVY", body: fixture("trivy/debian-buster.json.golden"), subject: null });
    const again = await acceptReport(db, null, ingest, { kind: "TRIVY", body: fixture("trivy/alpine-310.json.golden"), subject: null });
    await db.finding.updateMany({ where: { orgId: org.id }, data: { status: "OPEN", exceptionId: null } });
    const result = await processReport(db, debian.id, { batchSize: 10 });
    expect(result.batched).toEqual([again.id]);
    const suppressed = await db.finding.findMany({ where: { orgId: org.id, status: "SUPPRESSED" }, select: { ruleId: true, exceptionId: true } });
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((f) => f.ruleId === "CVE-2019-1549" && f.exceptionId === req.exception.id)).toBe(true);
  });
});

describe("listing", () => {
  it("filters by status, kind and flag, pages with a cursor, and stays in the organization", async () => {
    const { org, analyst, admin, viewer } = await team();
    const { ruleId } = await findings(org.id, 101);
    const small = await findings(org.id, 1);
    const broad = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope: { advisory: ruleId }, reason: "broad" });
    const unused = await requestException(db, analyst, { kind: "FALSE_POSITIVE", scope: { rule: `AVD-${uid()}` }, reason: "unused" });
    const fine = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope: { advisory: small.ruleId }, reason: "fine" });
    await approveException(db, admin, fine.exception.id);
    await team().then((t) => requestException(db, t.analyst, { kind: "RISK_ACCEPTED", scope: { rule: "x" }, reason: "elsewhere" }));

    const all = await listExceptions(db, viewer, {});
    expect(all.items.map((i) => i.id)).toEqual([fine.exception.id, unused.exception.id, broad.exception.id]);
    expect(all.items.map((i) => i.flags)).toEqual([[], ["matches-nothing"], ["matches-over-100"]]);
    expect(all.nextCursor).toBeNull();
    expect((await listExceptions(db, viewer, { flag: "unused" })).items.map((i) => i.id)).toEqual([unused.exception.id]);
    expect((await listExceptions(db, viewer, { flag: "broad", limit: "1" })).items.map((i) => i.id)).toEqual([broad.exception.id]);
    expect((await listExceptions(db, viewer, { status: "APPROVED" })).items.map((i) => i.id)).toEqual([fine.exception.id]);
    expect((await listExceptions(db, viewer, { kind: "FALSE_POSITIVE" })).items.map((i) => i.id)).toEqual([unused.exception.id]);

    const p1 = await listExceptions(db, viewer, { limit: 2 });
    expect(p1.items).toHaveLength(2);
    const p2 = await listExceptions(db, viewer, { limit: 2, cursor: p1.nextCursor });
    expect(p2).toMatchObject({ items: [{ id: broad.exception.id }], nextCursor: null });
    expect((await caught(listExceptions(db, viewer, { flag: "everything" }))).fields![0]!.path).toBe("flag");
  });
});

describe("enforcement bundle", () => {
  it("carries a policy exception after approval, not before, and drops it when revoked", async () => {
    const { org, analyst, admin } = await team();
    const req = await requestException(db, analyst, { kind: "RISK_ACCEPTED", scope: { policyId: "no-privileged", namespace: "kube-system", workload: "cilium", kind: "DaemonSet" }, reason: "CNI" });
    const before = await ensureCurrentBundle(db, org.id, TEST_KEY_SECRET);
    expect(before.content.exceptions).toEqual([]);
    await approveException(db, admin, req.exception.id);
    const after = await ensureCurrentBundle(db, org.id, TEST_KEY_SECRET);
    expect(after.version).toBe(before.version + 1);
    expect(after.content.exceptions).toEqual([{ id: req.exception.id, policyId: "no-privileged", namespace: "kube-system", kind: "DaemonSet", resourceName: "cilium", reason: "CNI" }]);
    await revokeException(db, admin, req.exception.id);
    const revoked = await ensureCurrentBundle(db, org.id, TEST_KEY_SECRET);
    expect(revoked.version).toBe(after.version + 1);
    expect(revoked.content.exceptions).toEqual([]);
  });
});
