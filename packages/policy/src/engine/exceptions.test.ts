import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.ts";
import { applyExceptions, policyExceptionSchema, type PolicyException } from "./exceptions.ts";
import type { PolicyResult } from "./results.ts";
import { cel, deployment, inputFor, SETTINGS } from "./testing.ts";

const object = deployment(
  [
    { name: "app", image: "ghcr.io/acme/api:1.2", securityContext: { privileged: true } },
    { name: "sidecar", image: "docker.io/envoyproxy/envoy:1.30", securityContext: { privileged: true } },
  ],
  { name: "web", namespace: "prod" },
);
const input = inputFor(object, { cluster: "prod-eu" });
const privileged = cel("container.securityContext.privileged", { id: "no-priv" });
const results = (): PolicyResult[] => evaluate([privileged], input);
const waive = (...exceptions: PolicyException[]) => applyExceptions(results(), exceptions, input)[0]!;

describe("exceptions", () => {
  it("without exceptions nothing changes", () => {
    expect(waive()).toEqual(results()[0]);
  });

  it("waives every violation of the policy, and the result then passes", () => {
    const r = waive({ id: "ex-1", policyId: "no-priv" });
    expect(r).toMatchObject({ status: "pass", passed: true, violations: [] });
    expect(r.waived?.map((v) => [v.container, v.exception])).toEqual([
      ["app", "ex-1"],
      ["sidecar", "ex-1"],
    ]);
  });

  it("`*` covers every policy; another policy's id covers nothing", () => {
    expect(waive({ policyId: "*" }).status).toBe("pass");
    expect(waive({ policyId: "other" }).status).toBe("fail");
  });

  it("narrows by container and by image (globs allowed)", () => {
    const byContainer = waive({ policyId: "no-priv", container: "sidecar" });
    expect(byContainer.status).toBe("fail");
    expect(byContainer.violations.map((v) => v.container)).toEqual(["app"]);
    expect(byContainer.waived?.[0]).toMatchObject({ container: "sidecar", exception: "#0" });
    expect(waive({ policyId: "no-priv", image: "docker.io/envoyproxy/*" }).violations.map((v) => v.container)).toEqual(["app"]);
    expect(waive({ policyId: "no-priv", image: "ghcr.io/acme/api:1.2" }).violations.map((v) => v.container)).toEqual(["sidecar"]);
  });

  it("must match namespace, kind, name and cluster when it sets them", () => {
    expect(waive({ policyId: "no-priv", namespace: "prod", kind: "Deployment", resourceName: "web", cluster: "prod-*" }).status).toBe("pass");
    expect(waive({ policyId: "no-priv", namespace: "dev" }).status).toBe("fail");
    expect(waive({ policyId: "no-priv", kind: "DaemonSet" }).status).toBe("fail");
    expect(waive({ policyId: "no-priv", resourceName: "api" }).status).toBe("fail");
    expect(waive({ policyId: "no-priv", cluster: "staging" }).status).toBe("fail");
  });

  it("expires at expiresAt, compared with settings.now", () => {
    expect(SETTINGS.now).toBe("2026-01-15T12:00:00Z");
    expect(waive({ policyId: "no-priv", expiresAt: "2026-01-15T12:00:01Z" }).status).toBe("pass");
    expect(waive({ policyId: "no-priv", expiresAt: "2026-01-15T12:00:00Z" }).status).toBe("fail");
    expect(waive({ policyId: "no-priv", expiresAt: "2025-12-31T00:00:00+01:00" }).status).toBe("fail");
    const badNow = inputFor(object, { settings: { ...SETTINGS, now: "not a time" } });
    expect(applyExceptions(evaluate([privileged], badNow), [{ policyId: "no-priv", expiresAt: "2099-01-01T00:00:00Z" }], badNow)[0]?.status).toBe("fail");
  });

  it("leaves error results alone", () => {
    const broken = evaluate([cel("object.nope", { id: "broken" })], input);
    expect(applyExceptions(broken, [{ policyId: "*" }], input)).toEqual(broken);
  });

  it("is applied by evaluate() when given as an option", () => {
    const [r] = evaluate([privileged], input, { exceptions: [{ policyId: "no-priv", container: "app" }] });
    expect(r?.violations.map((v) => v.container)).toEqual(["sidecar"]);
    expect(r?.waived).toHaveLength(1);
  });

  it("validates exception input", () => {
    expect(policyExceptionSchema.safeParse({ policyId: "x", expiresAt: "tomorrow" }).success).toBe(false);
    expect(policyExceptionSchema.safeParse({ policyId: "x", expiresAt: "2026-02-01T00:00:00Z", reason: "vendor fix pending" }).success).toBe(true);
    expect(policyExceptionSchema.safeParse({ policyId: "x", unknown: 1 }).success).toBe(false);
  });
});
