import { describe, expect, it } from "vitest";
import type { LabelSelector, PolicyExclusion, PolicyScope } from "../model/schema.ts";
import { compileLabelSelector } from "./label-selector.ts";
import { compileNamePatterns, compileScope } from "./scope.ts";
import { deployment, inputFor } from "./testing.ts";

describe("label selectors (Kubernetes semantics)", () => {
  const sel = (s: LabelSelector) => compileLabelSelector(s);
  const labels = { app: "web", tier: "frontend" };

  it("matchLabels: every pair must match", () => {
    expect(sel({ matchLabels: { app: "web" } })(labels)).toBe(true);
    expect(sel({ matchLabels: { app: "web", tier: "backend" } })(labels)).toBe(false);
    expect(sel({ matchLabels: { missing: "x" } })(labels)).toBe(false);
  });

  it("In / NotIn / Exists / DoesNotExist", () => {
    expect(sel({ matchExpressions: [{ key: "tier", operator: "In", values: ["frontend", "edge"] }] })(labels)).toBe(true);
    expect(sel({ matchExpressions: [{ key: "tier", operator: "In", values: ["backend"] }] })(labels)).toBe(false);
    expect(sel({ matchExpressions: [{ key: "nope", operator: "In", values: ["x"] }] })(labels)).toBe(false);
    expect(sel({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["backend"] }] })(labels)).toBe(true);
    expect(sel({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["frontend"] }] })(labels)).toBe(false);
    expect(sel({ matchExpressions: [{ key: "nope", operator: "NotIn", values: ["x"] }] })(labels)).toBe(true); // missing key matches NotIn
    expect(sel({ matchExpressions: [{ key: "app", operator: "Exists" }] })(labels)).toBe(true);
    expect(sel({ matchExpressions: [{ key: "nope", operator: "Exists" }] })(labels)).toBe(false);
    expect(sel({ matchExpressions: [{ key: "nope", operator: "DoesNotExist" }] })(labels)).toBe(true);
    expect(sel({ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] })(labels)).toBe(false);
  });

  it("ANDs matchLabels and expressions; an empty selector matches everything", () => {
    expect(sel({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["backend"] }] })(labels)).toBe(false);
    expect(sel({})(labels)).toBe(true);
    expect(sel({})({})).toBe(true);
  });

  it("does not match inherited properties", () => {
    expect(sel({ matchExpressions: [{ key: "constructor", operator: "Exists" }] })({})).toBe(false);
  });
});

describe("name patterns", () => {
  it("matches exact names and * globs, never undefined", () => {
    const m = compileNamePatterns(["prod", "kube-*", "*-system", "a.b"]);
    expect(["prod", "kube-public", "cert-system", "a.b"].map(m)).toEqual([true, true, true, true]);
    expect(["production", "axb", "kube", undefined].map(m)).toEqual([false, false, false, false]);
  });
});

describe("scope and exclusions", () => {
  const web = deployment([{ name: "a", image: "x" }], { name: "web", namespace: "prod", labels: { app: "web" }, podLabels: { app: "web", team: "core" } });
  const applies = (scope: PolicyScope | undefined, exclusions?: PolicyExclusion[], extra = {}) => {
    const m = compileScope(scope, exclusions);
    return m === undefined ? true : m(inputFor(web, extra));
  };

  it("has no predicate when there is nothing to check", () => {
    expect(compileScope(undefined, undefined)).toBeUndefined();
    expect(compileScope({}, [])).toBeUndefined();
  });

  it("requires every scope field to match", () => {
    expect(applies({ namespaces: ["prod"] })).toBe(true);
    expect(applies({ namespaces: ["dev"] })).toBe(false);
    expect(applies({ namespaces: ["prod"], kinds: ["Pod"] })).toBe(false);
    expect(applies({ kinds: ["Deployment", "StatefulSet"] })).toBe(true);
    expect(applies({ clusters: ["prod-*"] }, undefined, { cluster: "prod-eu" })).toBe(true);
    expect(applies({ clusters: ["prod-*"] })).toBe(false); // no cluster known (CI)
  });

  it("matches label selectors against the resource's or its pod template's labels", () => {
    expect(applies({ labelSelector: { matchLabels: { team: "core" } } })).toBe(true); // pod template label
    expect(applies({ labelSelector: { matchLabels: { app: "web" } } })).toBe(true);
    expect(applies({ labelSelector: { matchLabels: { team: "edge" } } })).toBe(false);
  });

  it("takes the namespace from the admission request when the manifest has none", () => {
    const bare = deployment([{ name: "a", image: "x" }]);
    delete (bare["metadata"] as Record<string, unknown>)["namespace"];
    const m = compileScope({ namespaces: ["team-a"] }, undefined)!;
    expect(m(inputFor(bare))).toBe(false);
    expect(m(inputFor(bare, { request: { operation: "CREATE", userInfo: { username: "u", groups: [] }, namespace: "team-a" } }))).toBe(true);
  });

  it("excludes when every field of any one exclusion matches", () => {
    expect(applies(undefined, [{ namespaces: ["kube-*"] }])).toBe(true);
    expect(applies(undefined, [{ namespaces: ["prod"], names: ["web"] }])).toBe(false);
    expect(applies(undefined, [{ namespaces: ["prod"], names: ["api"] }])).toBe(true);
    expect(applies(undefined, [{ names: ["api"] }, { kinds: ["Deployment"] }])).toBe(false);
    expect(applies({ namespaces: ["prod"] }, [{ labelSelector: { matchExpressions: [{ key: "team", operator: "In", values: ["core"] }] } }])).toBe(false);
  });
});
