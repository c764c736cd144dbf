import { afterEach, describe, expect, it } from "vitest";
import { createEnforcer } from "../src/enforcer.ts";
import { type EnforcerConfig } from "../src/env.ts";
import {
  bundleContent,
  builtinDefinitions,
  eventually,
  FakeCentral,
  hostNetworkDeployment,
  privilegedPod,
  review,
  signBundle,
  signingKey,
  silentLog,
  statefulSetWithInitAndEphemeral,
  tempDir,
  testConfig,
} from "./helpers.ts";

// Real AdmissionReview v1 requests through the enforcer's HTTP handler, judged from a signed bundle
// fetched from (a stand-in for) central, decisions reported back to it.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(overrides: Record<string, Record<string, unknown>> | null, config: Partial<EnforcerConfig> = {}) {
  const key = signingKey();
  const central = await new FakeCentral().start();
  cleanups.push(() => central.stop());
  if (overrides) central.publish(signBundle(key, 1, bundleContent(builtinDefinitions(overrides))));
  const state = tempDir();
  cleanups.push(state.cleanup);
  const enforcer = createEnforcer(testConfig(key, state.dir, { bulwarkUrl: central.url, ...config }), { log: silentLog });
  const { port } = await enforcer.start();
  cleanups.push(() => enforcer.stop({ delayMs: 0, flushDeadlineMs: 500 }));
  if (overrides) await eventually(() => expect(enforcer.holder.active?.bundle.version).toBe(1));
  const base = `http://127.0.0.1:${port}`;
  const post = async (body: unknown, path = "/validate", init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body), ...init });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const json = (await res.json()) as { apiVersion: string; kind: string; response: { uid: string; allowed: boolean; status?: { code: number; message: string }; warnings?: string[] } };
    expect(json).toMatchObject({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" });
    return json.response;
  };
  const reported = async (n: number) => {
    await enforcer.reporter.flush();
    await eventually(() => expect(central.decisionBatches.flatMap((b) => b.decisions).length).toBeGreaterThanOrEqual(n));
    return central.decisionBatches.flatMap((b) => b.decisions);
  };
  return { key, central, enforcer, base, post, reported };
}

const ENFORCE = { "no-privileged": { enforcement: "ENFORCE" }, "no-host-namespaces": { enforcement: "ENFORCE" } };
const WARN = { "no-privileged": { enforcement: "WARN" }, "no-host-namespaces": { enforcement: "WARN" } };
const AUDIT = { "no-privileged": { enforcement: "AUDIT" }, "no-host-namespaces": { enforcement: "AUDIT" } };

describe("POST /validate", () => {
  it("denies privileged and host-namespace workloads under ENFORCE (Pod, Deployment, StatefulSet with init and ephemeral containers)", async () => {
    const { post, reported } = await setup(ENFORCE);
    const pod = review(privilegedPod());
    const denied = await post(pod);
    expect(denied).toMatchObject({ uid: pod.request.uid, allowed: false, status: { code: 403 } });
    expect(denied.status?.message).toMatch(/^denied by Bulwark: \[no-privileged\] /);

    const deploy = await post(review(hostNetworkDeployment()), "/");
    expect(deploy.allowed).toBe(false);
    expect(deploy.status?.message).toContain("[no-host-namespaces]");

    const sts = await post(review(statefulSetWithInitAndEphemeral()));
    expect(sts.allowed).toBe(false);
    expect(sts.status?.message).toContain("init-perms");
    expect(sts.status?.message).toContain("debug");

    const decisions = await reported(3);
    expect(decisions[0]).toMatchObject({ uid: pod.request.uid, cluster: "prod-eu-1", namespace: "payments", kind: "Pod", operation: "CREATE", allowed: false, warned: false, userInfo: { username: "system:serviceaccount:ci:deployer" } });
    expect(decisions[0]!.violations).toEqual([{ policy: "no-privileged", severity: "CRITICAL", message: expect.any(String), container: "app", path: "spec.containers[0].securityContext.privileged" }]);
    expect(decisions.map((d) => d.kind)).toEqual(["Pod", "Deployment", "StatefulSet"]);
  });

  it("allows with a warning under WARN, and allows and records under AUDIT", async () => {
    const warn = await setup(WARN);
    const res = await warn.post(review(hostNetworkDeployment()));
    expect(res.allowed).toBe(true);
    expect(res.status).toBeUndefined();
    expect(res.warnings?.some((w) => w.startsWith("[no-host-namespaces]"))).toBe(true);
    expect((await warn.post(review(privilegedPod()))).warnings?.some((w) => w.startsWith("[no-privileged]"))).toBe(true);
    expect((await warn.reported(2))[0]).toMatchObject({ allowed: true, warned: true });

    const audit = await setup(AUDIT);
    const body = review(statefulSetWithInitAndEphemeral());
    expect(await audit.post(body)).toEqual({ uid: body.request.uid, allowed: true });
    const [d] = await audit.reported(1);
    expect(d).toMatchObject({ uid: body.request.uid, allowed: true, warned: false, violations: [] });
    expect(d!.policies).toContain("no-privileged");
  });

  it("applies the policy's enforcement for this enforcer's cluster", async () => {
    const here = await setup({ "no-privileged": { enforcement: "AUDIT", clusterEnforcement: { "prod-eu-1": "ENFORCE", staging: "WARN" } } });
    expect((await here.post(review(privilegedPod()))).allowed).toBe(false);
    const elsewhere = await setup({ "no-privileged": { enforcement: "AUDIT", clusterEnforcement: { "prod-eu-1": "ENFORCE" } } }, { clusterName: "dev-1" });
    expect(await elsewhere.post(review(privilegedPod()))).toMatchObject({ allowed: true });
    const staging = await setup({ "no-privileged": { enforcement: "AUDIT", clusterEnforcement: { staging: "WARN" } } }, { clusterName: "staging" });
    expect((await staging.post(review(privilegedPod()))).warnings?.[0]).toMatch(/^\[no-privileged\]/);
  });

  it("honours a valid break-glass with a warning and reports it; expired or too-far ones are ignored with the reason", async () => {
    const { post, reported } = await setup(ENFORCE, { breakGlassMaxHours: 4 });
    const soon = new Date(Date.now() + 3600_000).toISOString();
    const bg = (until: string) => ({ "bulwark.io/break-glass": "INC-42: payments down, approved by on-call", "bulwark.io/break-glass-until": until });
    const ok = review(privilegedPod(bg(soon)));
    const allowed = await post(ok);
    expect(allowed.allowed).toBe(true);
    expect(allowed.warnings?.[0]).toMatch(/^Bulwark break-glass until .* bypassed no-privileged \(reason: INC-42/);

    const expired = await post(review(privilegedPod(bg(new Date(Date.now() - 60_000).toISOString()))));
    expect(expired.allowed).toBe(false);
    expect(expired.warnings?.[0]).toMatch(/break-glass ignored: it expired/);
    const tooFar = await post(review(privilegedPod(bg(new Date(Date.now() + 5 * 3600_000).toISOString()))));
    expect(tooFar.allowed).toBe(false);
    expect(tooFar.status?.message).toMatch(/break-glass ignored: it expires more than 4 h ahead/);
    const malformed = await post(review(privilegedPod(bg("next friday"))));
    expect(malformed.allowed).toBe(false);
    expect(malformed.warnings?.[0]).toMatch(/not an RFC 3339 time/);

    const decisions = await reported(4);
    expect(decisions.find((d) => d.uid === ok.request.uid)).toMatchObject({ allowed: true, warned: true, breakGlass: { reason: "INC-42: payments down, approved by on-call", expiresAt: new Date(soon).toISOString(), policies: ["no-privileged"] } });
    expect(decisions.filter((d) => d.breakGlass !== undefined)).toHaveLength(1);
  });

  it("answers malformed input with a 200 AdmissionReview decided by the failure policy, never reporting it", async () => {
    const bad: Array<[string, string]> = [
      ["not JSON", "{not json"],
      ["empty", ""],
      ["wrong shape", JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "u-bad", kind: { kind: "Pod" } } })],
      ["v1beta1", JSON.stringify({ ...review(privilegedPod()), apiVersion: "admission.k8s.io/v1beta1" })],
      ["too deep", `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-deep","object":${"[".repeat(500)}${"]".repeat(500)}}}`],
      ["too large", JSON.stringify({ ...review(privilegedPod()), padding: "x".repeat(9 * 1024 * 1024) })],
    ];
    const fail = await setup(ENFORCE);
    for (const [what, body] of bad) {
      const res = await fail.post(body);
      expect(res.allowed, what).toBe(false);
      expect(res.status?.message, what).toMatch(/^Bulwark could not judge this request: .*\(denied: failurePolicy=Fail\)$/);
    }
    expect((await fail.post(bad[2]![1])).uid).toBe("u-bad");
    expect((await fail.post(bad[4]![1])).status?.message).toMatch(/nested deeper than 100 levels/);
    expect((await fail.post(bad[5]![1])).status?.message).toMatch(/larger than 8388608 bytes/);

    const ignore = await setup(ENFORCE, { failurePolicy: "Ignore" });
    for (const [what, body] of bad) {
      const res = await ignore.post(body);
      expect(res.allowed, what).toBe(true);
      expect(res.warnings?.[0], what).toMatch(/\(allowed: failurePolicy=Ignore\)$/);
    }
    await fail.enforcer.reporter.flush();
    await ignore.enforcer.reporter.flush();
    expect(fail.central.decisionBatches).toHaveLength(0);
    expect(ignore.central.decisionBatches).toHaveLength(0);
  });

  it("lets an object being deleted be updated (finalizers removed) whatever the policies say", async () => {
    const { post, central, enforcer } = await setup(ENFORCE);
    const pod = privilegedPod();
    const terminating = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: "2026-11-29T10:00:00Z", finalizers: [] } };
    expect((await post(review(terminating, { operation: "UPDATE" }))).allowed).toBe(true);
    expect((await post(review(terminating, { operation: "CREATE" }))).allowed).toBe(false);
    await enforcer.reporter.flush();
    expect(central.decisionBatches.flatMap((b) => b.decisions)).toHaveLength(1);
  });

  it("does not report dry runs", async () => {
    const { post, central, enforcer } = await setup(ENFORCE);
    expect((await post(review(privilegedPod(), { dryRun: true }))).allowed).toBe(false);
    await enforcer.reporter.flush();
    expect(central.decisionBatches).toHaveLength(0);
  });
});

describe("without any bundle", () => {
  it("denies with a clear message under Fail and is not ready", async () => {
    const { post, base, reported } = await setup(null, { failurePolicy: "Fail" });
    const body = review(privilegedPod());
    const res = await post(body);
    expect(res).toMatchObject({ uid: body.request.uid, allowed: false });
    expect(res.status?.message).toMatch(/no verified policy bundle yet .*\(denied: failurePolicy=Fail\)/);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await reported(1))[0]).toMatchObject({ uid: body.request.uid, allowed: false, message: "no policy bundle: denied by failurePolicy=Fail" });
  });

  it("allows under Ignore, says so, records it and is ready", async () => {
    const { post, base, reported } = await setup(null, { failurePolicy: "Ignore" });
    const res = await post(review(privilegedPod()));
    expect(res.allowed).toBe(true);
    expect(res.warnings?.[0]).toMatch(/no verified policy bundle yet .*\(allowed: failurePolicy=Ignore\)/);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await reported(1))[0]).toMatchObject({ allowed: true, message: "no policy bundle: allowed by failurePolicy=Ignore" });
  });
});

describe("probes and metrics", () => {
  it("serves healthz, readyz and Prometheus metrics; other paths and methods are refused", async () => {
    const { base, post, enforcer } = await setup(ENFORCE);
    await post(review(privilegedPod()));
    expect(await (await fetch(`${base}/healthz`)).text()).toBe("ok\n");
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('bulwark_enforcer_reviews_total{outcome="denied"} 1');
    expect(metrics).toContain("bulwark_enforcer_bundle_version 1");
    expect(metrics).toContain("bulwark_enforcer_ready 1");
    expect((await fetch(`${base}/validate`)).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect(enforcer.ready()).toBe(true);
  });
});

