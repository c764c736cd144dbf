import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Db } from "@bulwark/db";
import { evaluateWorkloads } from "../src/posture/evaluate-workloads.ts";
import { policyReportsYaml } from "../src/posture/policy-report.ts";
import { listPolicyReports } from "../src/use-cases/list-policy-reports.ts";
import { caught, makeMember, testDb, uid, userCtx } from "./helpers.ts";
import { ingestOrg, post } from "./ingest-helpers.ts";
import { BASELINE_POD, inventory, PRIVILEGED_POD, RESTRICTED_POD } from "./posture-helpers.ts";

// The PolicyReport export: stored results as wgpolicyk8s.io/v1alpha2 PolicyReports, one per namespace,
// checked against the CRD's schema (required fields, enums, string-only properties); org-scoped.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const RESULTS = ["pass", "fail", "warn", "error", "skip"];
const SEVERITIES = ["critical", "high", "medium", "low", "info"];

/** What the v1alpha2 CRD's openAPIV3Schema demands of a PolicyReport (beyond apiVersion/kind/metadata). */
function crdViolations(report: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (report.apiVersion !== "wgpolicyk8s.io/v1alpha2" || report.kind !== "PolicyReport") out.push("apiVersion/kind");
  const md = report.metadata as { name?: unknown; namespace?: unknown };
  if (typeof md?.name !== "string" || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(md.name) || md.name.length > 253) out.push("metadata.name");
  if (typeof md?.namespace !== "string") out.push("metadata.namespace");
  const summary = report.summary as Record<string, unknown>;
  for (const [k, v] of Object.entries(summary)) if (!RESULTS.includes(k) || !Number.isInteger(v)) out.push(`summary.${k}`);
  const allowed = new Set(["source", "policy", "rule", "category", "severity", "timestamp", "result", "scored", "resources", "resourceSelector", "message", "properties"]);
  (report.results as Array<Record<string, unknown>>).forEach((r, i) => {
    for (const k of Object.keys(r)) if (!allowed.has(k)) out.push(`results[${i}].${k} unknown`);
    if (typeof r.policy !== "string" || r.policy === "") out.push(`results[${i}].policy required`);
    if (!RESULTS.includes(r.result as string)) out.push(`results[${i}].result`);
    if (r.severity !== undefined && !SEVERITIES.includes(r.severity as string)) out.push(`results[${i}].severity`);
    const ts = r.timestamp as { seconds?: unknown; nanos?: unknown };
    if (!Number.isInteger(ts?.seconds) || !Number.isInteger(ts?.nanos) || (ts.nanos as number) < 0 || (ts.nanos as number) > 999_999_999) out.push(`results[${i}].timestamp`);
    for (const v of Object.values((r.properties as Record<string, unknown>) ?? {})) if (typeof v !== "string") out.push(`results[${i}].properties`);
    for (const ref of r.resources as Array<Record<string, unknown>>) for (const v of Object.values(ref)) if (typeof v !== "string") out.push(`results[${i}].resources`);
  });
  return out;
}

describe("listPolicyReports", () => {
  it("answers a List of PolicyReports per namespace that the CRD accepts, in JSON and YAML", async () => {
    const { org, ctx: ingest } = await ingestOrg(db);
    const shop = inventory({ "privileged-app": PRIVILEGED_POD, "restricted-app": RESTRICTED_POD });
    const tools = inventory({ "baseline-app": BASELINE_POD }, "tools");
    await post(db, ingest, "INVENTORY", { ...shop, items: [...shop.items, ...tools.items] }, "prod");
    const now = new Date("2026-11-29T08:00:00.123Z");
    await evaluateWorkloads(db, org.id, { now });
    const { user } = await makeMember(db, org.id, "VIEWER");

    const list = await listPolicyReports(db, userCtx(org.id, user, "VIEWER"), "prod");
    expect(list).toMatchObject({ apiVersion: "v1", kind: "List" });
    expect(list.items.map((r) => [r.metadata.name, r.metadata.namespace])).toEqual([
      ["bulwark-shop", "shop"],
      ["bulwark-tools", "tools"],
    ]);
    for (const report of list.items) expect(crdViolations(report as unknown as Record<string, unknown>)).toEqual([]);

    const report = list.items[0]!;
    // 20 runtime policies per workload, two workloads.
    expect(report.results).toHaveLength(40);
    const counts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    for (const r of report.results) counts[r.result]++;
    expect(report.summary).toEqual(counts);
    expect(report.summary).toMatchObject({ fail: 8, warn: 0, error: 0, skip: 0 });
    const workloadId = (await db.workload.findFirstOrThrow({ where: { orgId: org.id, name: "privileged-app" } })).id;
    expect(report.results.find((r) => r.policy === "no-privileged" && r.resources[0]!.name === "privileged-app")).toEqual({
      source: "bulwark",
      policy: "no-privileged",
      rule: "no-privileged",
      category: "Privileges",
      severity: "critical",
      result: "fail",
      scored: true,
      message: 'Container "agent" runs privileged',
      timestamp: { seconds: Math.floor(now.getTime() / 1000), nanos: 123_000_000 },
      resources: [{ apiVersion: "apps/v1", kind: "Deployment", name: "privileged-app", namespace: "shop", uid: "uid-privileged-app" }],
      properties: { title: "No privileged containers", cluster: "prod", workloadId, containers: "agent" },
    });

    const yaml = policyReportsYaml(list);
    expect(yaml).toMatch(/^apiVersion: v1\nkind: List\n/);
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(list)));
  });

  it("another organization's cluster is a 404; a token needs the read scope", async () => {
    const { org, ctx: ingest } = await ingestOrg(db);
    const name = `c-${uid()}`;
    await post(db, ingest, "INVENTORY", inventory({ "baseline-app": BASELINE_POD }), name);
    const { org: other } = await ingestOrg(db);
    const { user } = await makeMember(db, other.id, "OWNER");
    expect((await caught(listPolicyReports(db, userCtx(other.id, user, "OWNER"), name))).code).toBe("NOT_FOUND");
    expect((await caught(listPolicyReports(db, ingest, name))).code).toBe("FORBIDDEN");
    // Not evaluated yet: the namespace's report is there, with no results.
    const { user: owner } = await makeMember(db, org.id, "OWNER");
    const list = await listPolicyReports(db, userCtx(org.id, owner, "OWNER"), name);
    expect(list.items.map((r) => [r.metadata.namespace, r.results.length, r.summary])).toEqual([["shop", 0, { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }]]);
  });
});
