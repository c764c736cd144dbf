import { describe, expect, it } from "vitest";
import { compilePolicySet } from "../model/compile.ts";
import type { CompiledPolicy } from "../model/types.ts";
import { type AdmissionContext, judgeAdmission, judgeAdmissionReview } from "./judge.ts";
import { parseAdmissionReview } from "./review.ts";

// The one decision path of the central endpoint and enforcement points, on real AdmissionReview v1 bodies.

const NOW = "2026-11-29T12:00:00.000Z";

function policies(overrides: Record<string, unknown>[] = []): CompiledPolicy[] {
  const set = compilePolicySet(overrides, { withBuiltins: true });
  if (!set.ok) throw new Error(JSON.stringify(set.errors));
  return set.policies;
}

const ctx = (over: Partial<AdmissionContext> = {}): AdmissionContext => ({
  policies: policies(),
  exceptions: [],
  settings: { trustedRegistries: [], allowedDeployers: [], maxScanAgeHours: 168 },
  cluster: "prod",
  now: NOW,
  ...over,
});

function review(object: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const meta = object.metadata as { name: string; namespace?: string };
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: "3a4f-uid",
      kind: { group: "", version: "v1", kind: object.kind },
      resource: { group: "", version: "v1", resource: "pods" },
      name: meta.name,
      namespace: meta.namespace,
      operation: "CREATE",
      userInfo: { username: "alice", groups: ["devs"], uid: "u-1" },
      object,
      oldObject: null,
      dryRun: false,
      ...extra,
    },
  };
}

const privilegedPod = (annotations: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "payments", annotations },
  spec: { containers: [{ name: "app", image: "ghcr.io/acme/api:1.2", securityContext: { privileged: true } }] },
});

function request(body: unknown) {
  const parsed = parseAdmissionReview(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.request;
}

describe("judgeAdmission", () => {
  it("denies under ENFORCE, warns under WARN, records under AUDIT", () => {
    const req = request(review(privilegedPod()));
    const enforce = judgeAdmission(req, ctx({ policies: policies([{ id: "no-privileged", enforcement: "ENFORCE" }]) }));
    expect(enforce.response.response).toMatchObject({ uid: "3a4f-uid", allowed: false, status: { code: 403 } });
    expect(enforce.response.response.status?.message).toMatch(/^denied by Bulwark: \[no-privileged\]/);
    expect(enforce.record).toMatchObject({ uid: "3a4f-uid", namespace: "payments", kind: "Pod", name: "p", operation: "CREATE", allowed: false, warned: false, dryRun: false, decidedAt: NOW });
    expect(enforce.record.violations).toEqual([expect.objectContaining({ policy: "no-privileged", severity: "CRITICAL", container: "app", path: "spec.containers[0].securityContext.privileged" })]);

    const warn = judgeAdmission(req, ctx());
    expect(warn.response.response.allowed).toBe(true);
    expect(warn.response.response.warnings?.some((w) => w.startsWith("[no-privileged]"))).toBe(true);
    expect(warn.record).toMatchObject({ allowed: true, warned: true });
    expect(warn.record.message).toContain("no-privileged");

    const audit = judgeAdmission(req, ctx({ policies: policies([{ id: "no-privileged", enforcement: "AUDIT" }, { id: "no-secrets-in-env", enforcement: "AUDIT" }]) }));
    expect(audit.response.response).toEqual({ uid: "3a4f-uid", allowed: true });
    expect(audit.record).toMatchObject({ allowed: true, warned: false, message: null, violations: [] });
    expect(audit.record.policies).toContain("no-privileged");
  });

  it("applies the cluster's enforcement override, for violations recorded too", () => {
    const set = policies([{ id: "no-privileged", enforcement: "AUDIT", clusterEnforcement: { prod: "ENFORCE", staging: "WARN" } }]);
    const req = request(review(privilegedPod()));
    expect(judgeAdmission(req, ctx({ policies: set, cluster: "prod" })).record).toMatchObject({ allowed: false, violations: [{ policy: "no-privileged" }] });
    expect(judgeAdmission(req, ctx({ policies: set, cluster: "staging" })).record).toMatchObject({ allowed: true, warned: true });
    expect(judgeAdmission(req, ctx({ policies: set, cluster: "dev" })).record).toMatchObject({ allowed: true, warned: false, violations: [] });
    expect(judgeAdmission(req, ctx({ policies: set, cluster: null })).record.allowed).toBe(true);
  });

  it("waives excepted violations and judges a DELETE by its old object", () => {
    const set = policies([{ id: "no-privileged", enforcement: "ENFORCE" }]);
    const req = request(review(privilegedPod()));
    expect(judgeAdmission(req, ctx({ policies: set, exceptions: [{ policyId: "no-privileged", namespace: "payments" }] })).record.allowed).toBe(true);
    expect(judgeAdmission(req, ctx({ policies: set, exceptions: [{ policyId: "no-privileged", namespace: "payments", expiresAt: "2026-11-29T11:00:00Z" }] })).record.allowed).toBe(false);
    const del = request(review(privilegedPod(), { operation: "DELETE", object: null, oldObject: privilegedPod() }));
    expect(judgeAdmission(del, ctx({ policies: set })).record).toMatchObject({ operation: "DELETE", allowed: false });
  });

  it("judges init and ephemeral containers of a StatefulSet", () => {
    const sts = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db", namespace: "data" },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: "init", image: "busybox:1.36", securityContext: { privileged: true } }],
            containers: [{ name: "db", image: "postgres:16" }],
            ephemeralContainers: [{ name: "debug", image: "busybox:1.36", securityContext: { privileged: true } }],
          },
        },
      },
    };
    const judged = judgeAdmission(request(review(sts, { kind: { group: "apps", version: "v1", kind: "StatefulSet" } })), ctx({ policies: policies([{ id: "no-privileged", enforcement: "ENFORCE" }]) }));
    expect(judged.record.violations.map((v) => v.container)).toEqual(["init", "debug"]);
    expect(judged.response.response.status?.message).toContain("init");
  });

  it("lets a valid break-glass admit what policies deny, and says why an invalid one is ignored", () => {
    const set = policies([{ id: "no-privileged", enforcement: "ENFORCE" }, { id: "no-host-namespaces", enforcement: "ENFORCE" }]);
    const until = "2026-11-29T15:00:00Z";
    const bg = { "bulwark.io/break-glass": "INC-7 hotfix", "bulwark.io/break-glass-until": until };
    const ok = judgeAdmission(request(review(privilegedPod(bg))), ctx({ policies: set, breakGlass: { maxHours: 24 } }));
    expect(ok.response.response.allowed).toBe(true);
    expect(ok.response.response.warnings?.[0]).toBe("Bulwark break-glass until 2026-11-29T15:00:00.000Z bypassed no-privileged (reason: INC-7 hotfix)");
    expect(ok.record).toMatchObject({ allowed: true, warned: true, breakGlass: { reason: "INC-7 hotfix", expiresAt: "2026-11-29T15:00:00.000Z", policies: ["no-privileged"] } });
    expect(ok.record.message).toMatch(/^break-glass bypassed: denied by Bulwark: \[no-privileged\]/);
    expect(ok.record.violations).toEqual([expect.objectContaining({ policy: "no-privileged" })]);

    // Not honoured where the caller does not ask for it, nor when nothing is denied.
    expect(judgeAdmission(request(review(privilegedPod(bg))), ctx({ policies: set })).record.allowed).toBe(false);
    const nothing = judgeAdmission(request(review(privilegedPod(bg))), ctx({ breakGlass: { maxHours: 24 } }));
    expect(nothing.record.breakGlass).toBeUndefined();

    const expired = judgeAdmission(request(review(privilegedPod({ ...bg, "bulwark.io/break-glass-until": "2026-11-29T11:00:00Z" }))), ctx({ policies: set, breakGlass: { maxHours: 24 } }));
    expect(expired.record).toMatchObject({ allowed: false });
    expect(expired.record.breakGlass).toBeUndefined();
    expect(expired.response.response.warnings?.[0]).toMatch(/^Bulwark break-glass ignored: it expired/);
    expect(expired.response.response.status?.message).toMatch(/break-glass ignored: it expired/);
    const far = judgeAdmission(request(review(privilegedPod(bg))), ctx({ policies: set, breakGlass: { maxHours: 2 } }));
    expect(far.record.allowed).toBe(false);
    expect(far.response.response.warnings?.[0]).toMatch(/more than 2 h ahead/);
  });

  it("marks dry runs and answers malformed bodies by failure policy without a record", () => {
    expect(judgeAdmission(request(review(privilegedPod(), { dryRun: true })), ctx()).record.dryRun).toBe(true);
    const bad = judgeAdmissionReview({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "z" } }, ctx(), "Fail");
    expect(bad.record).toBeNull();
    expect(bad.response.response).toMatchObject({ uid: "z", allowed: false });
    expect(judgeAdmissionReview("nope", ctx(), "Ignore").response.response).toMatchObject({ uid: "", allowed: true });
  });
});
