import { randomBytes } from "node:crypto";
import { type Db } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrgContext } from "../src/context.ts";
import { ensureBuiltinPolicies } from "../src/use-cases/ensure-builtin-policies.ts";
import { listAdmissionDecisions } from "../src/use-cases/list-admission-decisions.ts";
import { recordAdmissionDecisions } from "../src/use-cases/record-admission-decisions.ts";
import { reviewAdmission } from "../src/use-cases/review-admission.ts";
import { setPolicyEnforcement } from "../src/use-cases/set-policy-enforcement.ts";
import { caught, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

// The central admission webhook and decision reports on the real database: real AdmissionReview v1
// requests, policy modes, image facts, findings, idempotency, failure policy and tenancy.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

async function setup() {
  const org = await makeOrg(db, "adm");
  const { user } = await makeMember(db, org.id, "ADMIN");
  const admin = userCtx(org.id, user, "ADMIN");
  await ensureBuiltinPolicies(db, org.id);
  const cluster = await db.cluster.create({ data: { orgId: org.id, name: `prod-${uid()}` } });
  const token = (scopes = ["enforcement"], clusterId: string | null = cluster.id): OrgContext => ({
    orgId: org.id,
    actor: { type: "token", tokenId: `t-${uid()}`, name: "enforcer", scopes, clusterId, registryId: null },
  });
  return { org, admin, cluster, token };
}

const container = (name: string, image: string, securityContext: object = {}) => ({ name, image, securityContext });

function review(object: Record<string, unknown>, opts: { uid?: string; operation?: string; dryRun?: boolean; group?: string; version?: string } = {}) {
  const metadata = object.metadata as { name: string; namespace: string };
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: opts.uid ?? crypto.randomUUID(),
      kind: { group: opts.group ?? "", version: opts.version ?? "v1", kind: object.kind },
      resource: { group: opts.group ?? "", version: "v1", resource: `${String(object.kind).toLowerCase()}s` },
      requestKind: { group: opts.group ?? "", version: "v1", kind: object.kind },
      name: metadata.name,
      namespace: metadata.namespace,
      operation: opts.operation ?? "CREATE",
      userInfo: { username: "system:serviceaccount:ci:deployer", uid: "u-1", groups: ["system:serviceaccounts"] },
      object,
      oldObject: null,
      dryRun: opts.dryRun ?? false,
      options: { apiVersion: "meta.k8s.io/v1", kind: "CreateOptions" },
    },
  };
}

const privilegedPod = (name = `pod-${uid()}`) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "payments" },
  spec: { containers: [container("app", "ghcr.io/acme/api:1.2", { privileged: true })] },
});

const hostNetworkDeployment = (name = `web-${uid()}`) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "payments" },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { hostNetwork: true, containers: [container("web", "nginx:1.27")] } } },
});

const statefulSet = (name = `db-${uid()}`) => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name, namespace: "data" },
  spec: {
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        initContainers: [container("init-perms", "busybox:1.36", { privileged: true })],
        containers: [container("db", "postgres:16")],
        ephemeralContainers: [container("debug", "busybox:1.36")],
      },
    },
  },
});

describe("reviewAdmission", () => {
  it("denies a privileged pod under ENFORCE, echoes the uid, records the decision and one finding", async () => {
    const { org, admin, cluster, token } = await setup();
    await setPolicyEnforcement(db, admin, "no-privileged", "ENFORCE");
    const pod = privilegedPod();
    const body = review(pod);
    const res = await reviewAdmission(db, token(), body);
    expect(res.apiVersion).toBe("admission.k8s.io/v1");
    expect(res.kind).toBe("AdmissionReview");
    expect(res.response.uid).toBe(body.request.uid);
    expect(res.response.allowed).toBe(false);
    expect(res.response.status?.code).toBe(403);
    expect(res.response.status?.message).toContain("[no-privileged]");

    const rows = await db.admissionDecision.findMany({ where: { orgId: org.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ uid: body.request.uid, clusterId: cluster.id, namespace: "payments", kind: "Pod", name: pod.metadata.name, operation: "CREATE", allowed: false, enforcementPointId: null });
    expect(rows[0]!.policies).toContain("no-privileged");
    expect(rows[0]!.userInfo).toMatchObject({ username: "system:serviceaccount:ci:deployer", groups: ["system:serviceaccounts"] });

    const findings = await db.finding.findMany({ where: { orgId: org.id, type: "POLICY_VIOLATION" } });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: "no-privileged", source: "admission", severity: "CRITICAL", status: "OPEN", clusterId: cluster.id });
    expect(findings[0]!.evidence).toMatchObject({ decision: "denied", operation: "CREATE", user: "system:serviceaccount:ci:deployer", violations: [{ container: "app", path: "spec.containers[0].securityContext.privileged" }] });

    // The same request again (API server retry) stores nothing; a new request for the same pod adds a
    // decision but updates the finding rather than adding one.
    await reviewAdmission(db, token(), body);
    expect(await db.admissionDecision.count({ where: { orgId: org.id } })).toBe(1);
    await reviewAdmission(db, token(), review(pod));
    expect(await db.admissionDecision.count({ where: { orgId: org.id } })).toBe(2);
    expect(await db.finding.count({ where: { orgId: org.id, type: "POLICY_VIOLATION" } })).toBe(1);
  });

  it("allows a hostNetwork Deployment with a warning under WARN, and records it with a finding", async () => {
    const { org, admin, token } = await setup();
    await setPolicyEnforcement(db, admin, "no-host-namespaces", "WARN");
    const res = await reviewAdmission(db, token(), review(hostNetworkDeployment(), { group: "apps" }));
    expect(res.response.allowed).toBe(true);
    expect(res.response.status).toBeUndefined();
    expect(res.response.warnings?.some((w) => w.startsWith("[no-host-namespaces]"))).toBe(true);
    expect(res.response.warnings!.every((w) => w.length <= 256)).toBe(true);
    const row = await db.admissionDecision.findFirstOrThrow({ where: { orgId: org.id } });
    expect(row).toMatchObject({ kind: "Deployment", allowed: true, warned: true });
    expect(row.message).toContain("no-host-namespaces");
    const finding = await db.finding.findFirstOrThrow({ where: { orgId: org.id, type: "POLICY_VIOLATION" } });
    expect(finding).toMatchObject({ ruleId: "no-host-namespaces", severity: "HIGH" });
    expect(finding.evidence).toMatchObject({ decision: "warned", violations: [{ path: "spec.template.spec.hostNetwork" }] });
  });

  it("allows and records AUDIT failures (init and ephemeral containers judged) without warnings or findings", async () => {
    const { org, admin, token } = await setup();
    await setPolicyEnforcement(db, admin, "no-privileged", "AUDIT");
    const sts = statefulSet();
    const res = await reviewAdmission(db, token(), review(sts, { group: "apps" }));
    expect(res.response).toEqual({ uid: expect.any(String), allowed: true });
    const row = await db.admissionDecision.findFirstOrThrow({ where: { orgId: org.id } });
    expect(row).toMatchObject({ kind: "StatefulSet", namespace: "data", name: sts.metadata.name, allowed: true, warned: false, message: null });
    expect(row.policies).toContain("no-privileged");
    expect(await db.finding.count({ where: { orgId: org.id, type: "POLICY_VIOLATION" } })).toBe(0);

    // The privileged init container is what fails: under ENFORCE the same StatefulSet is denied.
    await setPolicyEnforcement(db, admin, "no-privileged", "ENFORCE");
    const denied = await reviewAdmission(db, token(), review(sts, { group: "apps" }));
    expect(denied.response.allowed).toBe(false);
    expect(denied.response.status?.message).toContain("init-perms");
  });

  it("judges images by the organization's scan facts; unknown images pass", async () => {
    const { org, admin, token } = await setup();
    await setPolicyEnforcement(db, admin, "no-fixable-critical-vulns", "ENFORCE");
    const digest = `sha256:${randomBytes(32).toString("hex")}`;
    const image = await db.image.create({ data: { orgId: org.id, digest, registryHost: "ghcr.io", repository: "acme/api", tags: ["1.2"], lastScannedAt: new Date() } });
    await db.finding.create({
      data: { orgId: org.id, fingerprint: uid(), type: "VULNERABILITY", severity: "CRITICAL", title: "CVE", ruleId: "CVE-2024-0001", source: "trivy", imageId: image.id, fixable: true, fixedVersion: "1.1" },
    });
    const pod = (img: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: `p-${uid()}`, namespace: "payments" }, spec: { containers: [container("app", img)] } });
    for (const ref of ["ghcr.io/acme/api:1.2", `ghcr.io/acme/api@${digest}`]) {
      const res = await reviewAdmission(db, token(), review(pod(ref)));
      expect(res.response.allowed, ref).toBe(false);
      expect(res.response.status?.message).toContain("no-fixable-critical-vulns");
    }
    expect((await reviewAdmission(db, token(), review(pod("ghcr.io/acme/other:9")))).response.allowed).toBe(true);
  });

  it("answers malformed reviews by the failure policy with HTTP-safe AdmissionReviews, and does not record dry runs", async () => {
    const { org, admin, token } = await setup();
    for (const bad of [null, "text", {}, { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { kind: { kind: "Pod" } } }]) {
      const fail = await reviewAdmission(db, token(), bad);
      expect(fail.response).toMatchObject({ uid: "", allowed: false, status: { code: 403 } });
      expect(fail.response.status?.message).toMatch(/malformed/);
      const ignore = await reviewAdmission(db, token(), bad, { failurePolicy: "Ignore" });
      expect(ignore.response).toMatchObject({ uid: "", allowed: true });
      expect(ignore.response.warnings?.[0]).toMatch(/failurePolicy=Ignore/);
    }
    const withUid = review(privilegedPod());
    (withUid.request as Record<string, unknown>).operation = "PATCH";
    expect((await reviewAdmission(db, token(), withUid)).response).toMatchObject({ uid: withUid.request.uid, allowed: false });

    await setPolicyEnforcement(db, admin, "no-privileged", "ENFORCE");
    const dry = await reviewAdmission(db, token(), review(privilegedPod(), { dryRun: true }));
    expect(dry.response.allowed).toBe(false);
    expect(await db.admissionDecision.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("needs an enforcement token; a cluster-bound token may not name another cluster", async () => {
    const { cluster, token } = await setup();
    expect((await caught(reviewAdmission(db, token(["read"]), review(privilegedPod())))).code).toBe("FORBIDDEN");
    expect((await caught(reviewAdmission(db, token(), review(privilegedPod()), { cluster: "elsewhere" }))).code).toBe("FORBIDDEN");
    const ok = await reviewAdmission(db, token(), review(privilegedPod()), { cluster: cluster.name });
    expect(ok.response.allowed).toBe(true);
  });
});

describe("recordAdmissionDecisions and listAdmissionDecisions", () => {
  const decision = (over: Record<string, unknown> = {}) => ({
    uid: crypto.randomUUID(),
    namespace: "payments",
    kind: "Deployment",
    name: "api",
    operation: "CREATE",
    allowed: false,
    warned: false,
    policies: ["no-privileged"],
    message: "denied by Bulwark: [no-privileged] privileged",
    userInfo: { username: "alice", groups: ["devs"] },
    decidedAt: new Date().toISOString(),
    violations: [{ policy: "no-privileged", severity: "CRITICAL", message: 'Container "app" is privileged', container: "app", path: "spec.template.spec.containers[0].securityContext.privileged" }],
    ...over,
  });

  it("stores a batch once per uid, links the enforcement point, and makes one finding per policy and resource", async () => {
    const { org, cluster, token } = await setup();
    const batch = { enforcementPoint: "edge-1", decisions: [decision(), decision({ allowed: true, policies: [], violations: [] }), decision({ dryRun: true })] };
    const first = await recordAdmissionDecisions(db, token(), batch);
    expect(first).toMatchObject({ received: 3, skipped: 1, stored: 2, duplicates: 0, findings: { created: 1 } });
    const again = await recordAdmissionDecisions(db, token(), batch);
    expect(again).toMatchObject({ stored: 0, duplicates: 2, findings: { created: 0, updated: 0, unchanged: 0 } });
    const rows = await db.admissionDecision.findMany({ where: { orgId: org.id } });
    expect(rows).toHaveLength(2);
    const point = await db.enforcementPoint.findUniqueOrThrow({ where: { orgId_name: { orgId: org.id, name: "edge-1" } } });
    expect(rows.every((r) => r.enforcementPointId === point.id && r.clusterId === cluster.id)).toBe(true);
    expect(await db.finding.count({ where: { orgId: org.id, type: "POLICY_VIOLATION" } })).toBe(1);
    await recordAdmissionDecisions(db, token(), { enforcementPoint: "edge-1", decisions: [decision()] });
    expect(await db.finding.count({ where: { orgId: org.id, type: "POLICY_VIOLATION" } })).toBe(1);

    const bad = await caught(recordAdmissionDecisions(db, token(), { enforcementPoint: "edge-1", decisions: [decision({ operation: "PATCH", violations: [{ policy: "x" }] })] }));
    expect(bad.fields?.map((f) => f.path)).toEqual(expect.arrayContaining(["decisions.0.operation", "decisions.0.violations.0.severity"]));
    const tooMany = await caught(recordAdmissionDecisions(db, token(), { enforcementPoint: "edge-1", decisions: Array.from({ length: 1001 }, () => decision()) }));
    expect(tooMany.fields?.[0]?.path).toBe("decisions");
  });

  it("lists decisions newest first with filters and cursor, scoped to the organization", async () => {
    const { org, admin, cluster, token } = await setup();
    const t0 = Date.now();
    await recordAdmissionDecisions(db, token(), {
      enforcementPoint: "edge-2",
      decisions: [0, 1, 2, 3, 4].map((i) => decision({ name: `w-${i}`, allowed: i % 2 === 0, namespace: i < 3 ? "payments" : "web", decidedAt: new Date(t0 - i * 1000).toISOString(), policies: i === 4 ? ["no-host-namespaces"] : ["no-privileged"] })),
    });
    const all = await listAdmissionDecisions(db, admin, { limit: "2" });
    expect(all.decisions.map((d) => d.name)).toEqual(["w-0", "w-1"]);
    const next = await listAdmissionDecisions(db, admin, { limit: "2", cursor: all.nextCursor! });
    expect(next.decisions.map((d) => d.name)).toEqual(["w-2", "w-3"]);
    const last = await listAdmissionDecisions(db, admin, { limit: "2", cursor: next.nextCursor! });
    expect(last).toMatchObject({ nextCursor: null, decisions: [{ name: "w-4", cluster: { name: cluster.name }, enforcementPoint: { name: "edge-2" } }] });
    expect((await listAdmissionDecisions(db, admin, { allowed: "false" })).decisions.map((d) => d.name)).toEqual(["w-1", "w-3"]);
    expect((await listAdmissionDecisions(db, admin, { namespace: "web", policy: "no-host-namespaces" })).decisions.map((d) => d.name)).toEqual(["w-4"]);
    expect((await listAdmissionDecisions(db, admin, { cluster: cluster.name, since: new Date(t0 - 1500).toISOString() })).decisions).toHaveLength(2);
    expect((await listAdmissionDecisions(db, admin, { cluster: "nope" })).decisions).toHaveLength(0);
    expect((await caught(listAdmissionDecisions(db, admin, { allowed: "maybe" }))).fields?.[0]?.path).toBe("allowed");
    expect((await caught(listAdmissionDecisions(db, token(["enforcement"]), {}))).code).toBe("FORBIDDEN");
    expect((await listAdmissionDecisions(db, token(["read"]), {})).decisions).toHaveLength(5);

    const other = await setup();
    expect((await listAdmissionDecisions(db, other.admin, {})).decisions).toHaveLength(0);
    expect((await caught(listAdmissionDecisions(db, other.admin, { cursor: all.nextCursor! }))).code).toBe("VALIDATION_FAILED");
    // Another organization's token writes into its own organization only, even with the same names and uids.
    await recordAdmissionDecisions(db, other.token(), { enforcementPoint: "edge-2", decisions: [decision()] });
    expect(await db.admissionDecision.count({ where: { orgId: org.id } })).toBe(5);
  });
});
