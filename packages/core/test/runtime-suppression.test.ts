import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { findingWhere, resolveLookups, scopeTerms, termsSql } from "../src/exceptions/match.ts";
import { type ExceptionScope, exceptionScopeSchema, readStoredScope, scopeNotes } from "../src/exceptions/scope.ts";
import { approveException } from "../src/use-cases/approve-exception.ts";
import { expireExceptions } from "../src/use-cases/expire-exceptions.ts";
import { requestException } from "../src/use-cases/request-exception.ts";
import { triageFindings } from "../src/use-cases/triage-findings.ts";
import { testDb } from "./helpers.ts";
import { minutes, runtimeOrg, sendEvents, syscallEvent } from "./runtime-helpers.ts";

// Runtime suppressions are exceptions: a scope of rule + place (or image repository) covers runtime
// findings, linked to the inventory or not, from the moment they are ingested until the exception ends.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

describe("runtime suppression through exceptions", () => {
  it("an approved, expiring {rule, namespace} exception suppresses new events' finding at ingest; after expiry it reopens", async () => {
    const { org, ctx, admin } = await runtimeOrg(db, [{ namespace: "ci", name: "runner" }, { namespace: "shop", name: "web" }]);
    const now = new Date();
    const expiresAt = minutes(now, 60);
    const requested = await requestException(db, admin, { kind: "RISK_ACCEPTED", scope: { rule: "Terminal shell in container", namespace: "ci" }, reason: "CI runners open shells", expiresAt: expiresAt.toISOString() }, now);
    await approveException(db, admin, requested.exception.id, {}, now);

    const shell = (n: number, namespace: string, workload: string) => syscallEvent({ time: minutes(now, n), rule: "Terminal shell in container", namespace, workload, process: "/bin/sh" });
    const r = await sendEvents(db, ctx, [shell(0, "ci", "runner"), shell(1, "ci", "runner"), shell(1, "shop", "web"), shell(2, "ci", "not-inventoried")]);
    expect(r.counts).toMatchObject({ eventsStored: 4, created: 3 });
    const findings = await db.finding.findMany({ where: { orgId: org.id, source: "falco" } });
    const where = (f: (typeof findings)[number]) => (f.evidence as { namespace: string; workload: string }).namespace + "/" + (f.evidence as { workload: string }).workload;
    const byPlace = Object.fromEntries(findings.map((f) => [where(f), f]));
    // Linked (runner is inventoried) and unlinked (a workload the inventory does not know) alike.
    expect(byPlace["ci/runner"]).toMatchObject({ status: "SUPPRESSED", exceptionId: requested.exception.id, occurrences: 2 });
    expect(byPlace["ci/not-inventoried"]).toMatchObject({ status: "SUPPRESSED", exceptionId: requested.exception.id, workloadId: null, namespaceId: null });
    expect(byPlace["shop/web"]).toMatchObject({ status: "OPEN", exceptionId: null });
    // Suppressed findings are never alert candidates; the open one is.
    expect(r.alerts).toEqual([{ findingId: byPlace["shop/web"]!.id, reason: "created" }]);
    // More events: still counted, still suppressed, still silent.
    const more = await sendEvents(db, ctx, [shell(3, "ci", "runner")]);
    expect(more.alerts).toEqual([]);
    expect(await db.finding.findUniqueOrThrow({ where: { id: byPlace["ci/runner"]!.id } })).toMatchObject({ status: "SUPPRESSED", occurrences: 3 });

    const expired = await expireExceptions(db, minutes(now, 61));
    expect(expired.expired).toBeGreaterThanOrEqual(1);
    expect(await db.finding.findUniqueOrThrow({ where: { id: byPlace["ci/runner"]!.id } })).toMatchObject({ status: "OPEN", exceptionId: null });
    expect(await db.finding.findUniqueOrThrow({ where: { id: byPlace["ci/not-inventoried"]!.id } })).toMatchObject({ status: "OPEN" });
    // What the suppression silenced alerts once it lapses (the expiry job hands these to notify.route).
    expect(expired.alerts.get(org.id)).toEqual(expect.arrayContaining([byPlace["ci/runner"]!.id, byPlace["ci/not-inventoried"]!.id]));
    // Once expired, new events of the aggregate stay open.
    await sendEvents(db, ctx, [shell(62, "ci", "runner")]);
    expect(await db.finding.findUniqueOrThrow({ where: { id: byPlace["ci/runner"]!.id } })).toMatchObject({ status: "OPEN", occurrences: 4 });
  });

  it("matches runtime findings by cluster, namespace, workload and image repository, linked or recorded, both renderings agreeing", async () => {
    const { org, ctx } = await runtimeOrg(db, [{ namespace: "shop", name: "web" }]);
    const t = new Date("2026-06-01T00:00:00Z");
    await sendEvents(db, ctx, [
      syscallEvent({ time: t, rule: "R", workload: "web", image: "docker.io/library/nginx" }),
      syscallEvent({ time: t, rule: "R", workload: "ghost", image: "nginx" }),
      syscallEvent({ time: t, rule: "R", cluster: "far", namespace: "shop", workload: "web", image: "ghcr.io/acme/web" }),
    ]);
    const findings = await db.finding.findMany({ where: { orgId: org.id, source: "falco" } });
    const name = (f: (typeof findings)[number]) => (f.workloadId ? "linked" : (f.evidence as { cluster: string }).cluster === "far" ? "far" : "ghost");
    const names = new Map(findings.map((f) => [f.id, name(f)]));
    expect([...names.values()].sort()).toEqual(["far", "ghost", "linked"]);

    const m = async (input: Record<string, string>) => {
      const scope: ExceptionScope = exceptionScopeSchema.parse(input);
      const viaPrisma = (await db.finding.findMany({ where: await findingWhere(db, org.id, scope), select: { id: true } })).map((r) => names.get(r.id)!).sort();
      const sql = termsSql(org.id, scopeTerms({ scope, unknownKeys: [] }, await resolveLookups(db, org.id, [scope])));
      const viaSql = (await db.$queryRaw<{ id: string }[]>`SELECT f.id FROM "Finding" f WHERE ${sql}`).map((r) => names.get(r.id)!).sort();
      expect(viaSql, JSON.stringify(scope)).toEqual(viaPrisma);
      return viaPrisma;
    };
    expect(await m({ rule: "R", cluster: "edge" })).toEqual(["ghost", "linked"]);
    expect(await m({ rule: "R", cluster: "far" })).toEqual(["far"]);
    expect(await m({ namespace: "shop" })).toEqual(["far", "ghost", "linked"]);
    expect(await m({ rule: "R", workload: "web" })).toEqual(["far", "linked"]);
    expect(await m({ rule: "R", workload: "ghost", namespace: "shop", cluster: "edge" })).toEqual(["ghost"]);
    // The recorded names carry no kind: a kind narrows to inventoried workloads.
    expect(await m({ workload: "web", kind: "Deployment" })).toEqual(["linked"]);
    expect(await m({ kind: "Deployment" })).toEqual(["linked"]);
    expect(await m({ imageRepository: "nginx" })).toEqual(["ghost", "linked"]);
    expect(await m({ rule: "R", imageRepository: "ghcr.io/acme/web" })).toEqual(["far"]);
    // A digest names an image runtime events do not record.
    expect(await m({ imageRepository: "nginx", imageDigest: `sha256:${"a".repeat(64)}` })).toEqual([]);
    expect(await m({ rule: "Other" })).toEqual([]);
  });

  it("scopes an exception requested from an unlinked runtime finding by the names its events recorded", async () => {
    const { org, ctx, analyst } = await runtimeOrg(db, [{ namespace: "shop", name: "web" }]);
    await sendEvents(db, ctx, [syscallEvent({ time: new Date(), rule: "Drift detected", cluster: "far", namespace: "ci", workload: "runner" })]);
    const f = await db.finding.findFirstOrThrow({ where: { orgId: org.id, source: "falco" } });
    expect(f.workloadId).toBeNull();
    const r = await triageFindings(db, analyst, { ids: [f.id], action: "request-exception", reason: "CI" });
    expect(r.exceptions.map((e) => e.scope)).toEqual([{ rule: "Drift detected", cluster: "far", namespace: "ci", workload: "runner" }]);
    expect(r.exceptions[0]!.findings).toBe(1);
  });

  it("says in the scope notes that image repositories cover runtime findings", () => {
    const notes = scopeNotes(readStoredScope({ rule: "Terminal shell in container", imageRepository: "nginx" }));
    expect(notes.join(" ")).toMatch(/runtime findings/);
  });
});
