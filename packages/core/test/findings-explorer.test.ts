import { randomBytes } from "node:crypto";
import { type Db, type FindingType, type Severity } from "@bulwark/db";
import { afterAll, describe, expect, it } from "vitest";
import { csvCell, csvLine } from "../src/findings/csv.ts";
import { findingsQueryString, parseFindingFilters } from "../src/findings/filters.ts";
import { exportFindingsCsv, findingCsvLine } from "../src/use-cases/export-findings-csv.ts";
import { getFindingDetail } from "../src/use-cases/get-finding-detail.ts";
import { listFindings } from "../src/use-cases/list-findings.ts";
import { caught, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

// The findings explorer on the real database: the URL contract, filters that reach image findings
// through the workloads running the image, keyset pagination across ties, totals, and the CSV export.

const db: Db = testDb();
afterAll(async () => {
  await db.$disconnect();
});

/** Two clusters; "web" in prod/shop runs image A, "batch" in dev/jobs runs image B; findings on both images and on the workloads. */
async function estate() {
  const org = await makeOrg(db, "fx");
  const { user } = await makeMember(db, org.id, "VIEWER");
  const ctx = userCtx(org.id, user, "VIEWER");
  const prod = await db.cluster.create({ data: { orgId: org.id, name: `prod-${uid()}` } });
  const dev = await db.cluster.create({ data: { orgId: org.id, name: `dev-${uid()}` } });
  const shop = await db.namespace.create({ data: { orgId: org.id, clusterId: prod.id, name: "shop" } });
  const jobs = await db.namespace.create({ data: { orgId: org.id, clusterId: dev.id, name: "jobs" } });
  const image = (repo: string) =>
    db.image.create({ data: { orgId: org.id, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: "ghcr.io", repository: repo, tags: ["1.0"] } });
  const [imgA, imgB] = [await image("acme/web"), await image("acme/batch")];
  const workload = (clusterId: string, namespaceId: string, name: string, imageId: string) =>
    db.workload.create({
      data: { orgId: org.id, clusterId, namespaceId, kind: "Deployment", name, podSpec: {}, containers: { create: { orgId: org.id, name: "app", imageRef: "x", imageId } } },
    });
  const web = await workload(prod.id, shop.id, "web", imgA.id);
  const batch = await workload(dev.id, jobs.id, "batch", imgB.id);
  let n = 0;
  const finding = (data: { severity: Severity; type?: FindingType; imageId?: string; workloadId?: string; clusterId?: string; namespaceId?: string; title?: string; ruleId?: string; lastSeen?: Date; fixable?: boolean; cvssScore?: number; packageName?: string }) =>
    db.finding.create({
      data: {
        orgId: org.id,
        fingerprint: uid(),
        type: data.type ?? "VULNERABILITY",
        severity: data.severity,
        title: data.title ?? `finding ${++n}`,
        ruleId: data.ruleId ?? `CVE-2024-${1000 + n}`,
        source: data.type === "MISCONFIGURATION" ? "posture" : "trivy",
        imageId: data.imageId ?? null,
        workloadId: data.workloadId ?? null,
        clusterId: data.clusterId ?? null,
        namespaceId: data.namespaceId ?? null,
        fixable: data.fixable ?? false,
        cvssScore: data.cvssScore ?? null,
        packageName: data.packageName ?? null,
        lastSeen: data.lastSeen ?? new Date("2026-11-01T00:00:00Z"),
      },
    });
  const fa1 = await finding({ severity: "CRITICAL", imageId: imgA.id, fixable: true, cvssScore: 9.8, packageName: "openssl", title: "OpenSSL overflow" });
  const fa2 = await finding({ severity: "LOW", imageId: imgA.id });
  const fb1 = await finding({ severity: "HIGH", imageId: imgB.id, cvssScore: 7.5 });
  const fw = await finding({ severity: "MEDIUM", type: "MISCONFIGURATION", workloadId: web.id, clusterId: prod.id, namespaceId: shop.id, ruleId: "no-privileged" });
  const fbw = await finding({ severity: "HIGH", type: "MISCONFIGURATION", workloadId: batch.id, clusterId: dev.id, namespaceId: jobs.id, ruleId: "no-privileged" });
  return { org, ctx, prod, dev, imgA, imgB, web, batch, fa1, fa2, fb1, fw, fbw, finding };
}

const ids = (r: { items: { id: string }[] }) => r.items.map((i) => i.id).sort();
const SEV = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"];

describe("findings URL contract", () => {
  it("defaults to OPEN, most severe first, and round-trips through the canonical query string", () => {
    const f = parseFindingFilters("severity=high&severity=CRITICAL&cluster=prod&fixable=true&q=openssl&sort=cvss&dir=asc&utm=x");
    expect(f).toMatchObject({ status: ["OPEN"], severity: ["HIGH", "CRITICAL"], cluster: ["prod"], fixable: true, q: "openssl", sort: "cvss", dir: "asc", limit: 50 });
    expect(parseFindingFilters(findingsQueryString(f))).toEqual(f);
    expect(parseFindingFilters({ status: "ALL" }).status).toBeNull();
    expect(findingsQueryString(parseFindingFilters(""))).toBe("");
  });

  it("refuses unknown enum values with field paths", async () => {
    const err = await caught(Promise.resolve().then(() => parseFindingFilters("severity=HIGH&severity=URGENT&type=BOGUS&sort=name&since=yesterday")));
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.fields?.map((f) => f.path).sort()).toEqual(["severity.1", "since", "sort", "type.0"]);
  });
});

describe("listFindings", () => {
  it("filters by cluster and namespace including image findings whose image runs there", async () => {
    const e = await estate();
    expect(ids(await listFindings(db, e.ctx, { cluster: e.prod.name }))).toEqual([e.fa1.id, e.fa2.id, e.fw.id].sort());
    expect(ids(await listFindings(db, e.ctx, { namespace: "jobs" }))).toEqual([e.fb1.id, e.fbw.id].sort());
    expect(ids(await listFindings(db, e.ctx, { cluster: e.prod.name, namespace: "jobs" }))).toEqual([]);
    expect(ids(await listFindings(db, e.ctx, { workload: e.web.id }))).toEqual([e.fa1.id, e.fa2.id, e.fw.id].sort());
    expect(ids(await listFindings(db, e.ctx, { image: e.imgB.id }))).toEqual([e.fb1.id]);
    expect(ids(await listFindings(db, e.ctx, { type: "MISCONFIGURATION", severity: "HIGH" }))).toEqual([e.fbw.id]);
    expect(ids(await listFindings(db, e.ctx, { rule: "no-privileged" }))).toEqual([e.fw.id, e.fbw.id].sort());
    expect(ids(await listFindings(db, e.ctx, { q: "openss" }))).toEqual([e.fa1.id]);
    expect(ids(await listFindings(db, e.ctx, { q: "100%" }))).toEqual([]);
    expect(ids(await listFindings(db, e.ctx, { fixable: "true" }))).toEqual([e.fa1.id]);
    // A workload deleted from the cluster no longer places its image there.
    await db.workload.update({ where: { id: e.web.id }, data: { deleted: true } });
    expect(ids(await listFindings(db, e.ctx, { cluster: e.prod.name }))).toEqual([e.fw.id]);
  });

  it("orders most severe first and counts from the tally or a bounded count", async () => {
    const e = await estate();
    const all = await listFindings(db, e.ctx, {});
    expect(all.items.map((i) => i.severity)).toEqual(["CRITICAL", "HIGH", "HIGH", "MEDIUM", "LOW"]);
    expect(all.total).toEqual({ count: 5, exact: true, via: "tally" });
    expect(all.items[0]).toMatchObject({ id: e.fa1.id, image: "ghcr.io/acme/web:1.0", packageName: "openssl", cvssScore: 9.8 });
    expect(all.items.find((i) => i.id === e.fw.id)).toMatchObject({ cluster: e.prod.name, namespace: "shop", workload: "web", workloadKind: "Deployment" });
    expect((await listFindings(db, e.ctx, { cluster: e.prod.name })).total).toEqual({ count: 3, exact: true, via: "tally" });
    expect((await listFindings(db, e.ctx, { namespace: "shop" })).total).toEqual({ count: 3, exact: true, via: "count" });
    await db.finding.update({ where: { id: e.fa2.id }, data: { status: "RESOLVED" } });
    expect((await listFindings(db, e.ctx, {})).total.count).toBe(4);
    expect(ids(await listFindings(db, e.ctx, { status: "RESOLVED" }))).toEqual([e.fa2.id]);
    expect((await listFindings(db, e.ctx, { status: "ALL" })).total).toEqual({ count: 5, exact: true, via: "count" });
    // Filters no index serves are not counted: the page is the total when it is the only page, else a lower bound.
    expect((await listFindings(db, e.ctx, { source: "trivy" })).total).toEqual({ count: 2, exact: true, via: "page" });
    expect((await listFindings(db, e.ctx, { source: "trivy", limit: "1" })).total).toEqual({ count: 1, exact: false, via: "page" });
  });

  it("pages with a keyset cursor through ties, in every sort and direction, without repeats or gaps", async () => {
    const e = await estate();
    const same = new Date("2026-11-02T00:00:00Z");
    for (let i = 0; i < 7; i++) await e.finding({ severity: "HIGH", imageId: e.imgA.id, lastSeen: same, cvssScore: 5 });
    for (const sort of ["severity", "lastSeen", "firstSeen", "cvss"]) {
      for (const dir of ["asc", "desc"]) {
        const full = await listFindings(db, e.ctx, { sort, dir, limit: "100" });
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await listFindings(db, e.ctx, { sort, dir, limit: "3", ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen, `${sort} ${dir}`).toEqual(full.items.map((i) => i.id));
        expect(seen).toHaveLength(12);
      }
    }
    // Several statuses (one ordered scan per status, merged) and narrow places (matches gathered, then sorted) page the same way.
    await db.finding.updateMany({ where: { orgId: e.org.id, lastSeen: same }, data: { status: "RESOLVED" } });
    for (const extra of [{ status: "ALL" }, { status: "ALL", cluster: e.prod.name }, { status: ["OPEN", "RESOLVED"], workload: e.web.id }]) {
      const full = await listFindings(db, e.ctx, { ...extra, limit: "100" });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listFindings(db, e.ctx, { ...extra, limit: "4", ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(full.items.map((i) => i.id));
      expect(full.items.map((i) => i.severity)).toEqual([...full.items.map((i) => i.severity)].sort((a, b) => SEV.indexOf(a) - SEV.indexOf(b)));
    }
    expect((await listFindings(db, e.ctx, { status: "ALL", cluster: e.prod.name, limit: "100" })).items).toHaveLength(10);
    const first = await listFindings(db, e.ctx, { limit: "2" });
    const err = await caught(listFindings(db, e.ctx, { sort: "cvss", cursor: first.nextCursor! }));
    expect(err.fields?.[0]?.path).toBe("cursor");
    expect((await caught(listFindings(db, e.ctx, { cursor: "garbage" }))).code).toBe("VALIDATION_FAILED");
  });

  it("never shows another organization's findings", async () => {
    const a = await estate();
    const b = await estate();
    expect(ids(await listFindings(db, b.ctx, { image: a.imgA.id }))).toEqual([]);
    expect(ids(await listFindings(db, b.ctx, { workload: a.web.id }))).toEqual([]);
    expect((await caught(getFindingDetail(db, b.ctx, a.fa1.id))).code).toBe("NOT_FOUND");
  });
});

describe("CSV export", () => {
  it("quotes per RFC 4180 and neutralizes formulas", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(["+1", "-2", "@SUM(A1)", "\tx"].map(csvCell)).toEqual(["'+1", "'-2", "'@SUM(A1)", "'\tx"]);
    expect(csvCell(-1)).toBe("-1");
    expect(csvCell(null)).toBe("");
    expect(csvLine(["a", 1, true])).toBe("a,1,true\r\n");
  });

  it("streams every matching row, in the list's order, in batches", async () => {
    const e = await estate();
    await e.finding({ severity: "CRITICAL", imageId: e.imgA.id, title: "=cmd|' /C calc'!A0, \"quoted\"" });
    const lines: string[] = [];
    for await (const l of await exportFindingsCsv(db, e.ctx, { cluster: e.prod.name }, 2)) lines.push(l);
    const list = await listFindings(db, e.ctx, { cluster: e.prod.name });
    expect(lines[0]).toBe("id,severity,type,status,title,ruleId,source,packageName,packageVersion,fixedVersion,fixable,cvssScore,image,imageId,cluster,clusterId,namespace,workload,workloadId,firstSeen,lastSeen,exceptionId\r\n");
    expect(lines.slice(1)).toEqual(list.items.map(findingCsvLine));
    expect(lines).toHaveLength(5);
    expect(lines.join("")).toContain(`"'=cmd|' /C calc'!A0, ""quoted"""`);
  });
});

describe("getFindingDetail", () => {
  it("shows where an image finding runs and its history", async () => {
    const e = await estate();
    const d = await getFindingDetail(db, e.ctx, e.fa1.id);
    expect(d.runsIn.map((w) => w.id)).toEqual([e.web.id]);
    expect(d.runsIn[0]).toMatchObject({ cluster: { name: e.prod.name }, namespace: { name: "shop" } });
    expect(d.history.map((h) => h.kind).sort()).toEqual(["first-seen", "last-seen"]);
    expect(d.image).toMatchObject({ repository: "acme/web" });
  });
});
