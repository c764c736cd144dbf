import { BUILTIN_POLICIES, compilePolicy, type PolicyDefinition } from "@bulwark/policy";
import { describe, expect, it } from "vitest";
import { definitionToForm, emptyForm, formToDefinition, formWarnings, scopeFromForm, tunedBuiltinDefinition, typedValue, uid } from "./form-model.ts";

const criteria: PolicyDefinition = {
  id: "root-outside-company",
  name: "Root containers only from the company registry",
  description: "Root is allowed for company images only.",
  severity: "HIGH",
  category: "workload-security",
  stages: ["BUILD", "DEPLOY"],
  enforcement: "WARN",
  clusterEnforcement: { "prod-eu": "ENFORCE", staging: "AUDIT" },
  mitre: ["T1610", "T1611.001"],
  threats: ["privilege-escalation"],
  scope: { namespaces: ["prod-*"], labelSelector: { matchLabels: { app: "web", empty: "" }, matchExpressions: [{ key: "tier", operator: "NotIn", values: ["batch", "cron"] }, { key: "legacy", operator: "DoesNotExist" }] } },
  exclusions: [{ namespaces: ["kube-system"] }, { names: ["debug-*"], kinds: ["Pod"] }],
  rule: {
    type: "criteria",
    sections: [
      {
        conditions: [
          { field: "container.securityContext.runAsUser", operator: "equals", values: [0] },
          { field: "container.image.registry", operator: "notIn", values: ["ghcr.io", "registry.acme.io"] },
        ],
      },
      { conditions: [{ field: "container.securityContext.privileged", operator: "equals", values: [true] }, { field: "pod.hostNetwork", operator: "exists", values: [] }] },
    ],
  },
};

const cel: PolicyDefinition = {
  id: "no-docker-hub",
  name: "No Docker Hub images",
  severity: "LOW",
  enforcement: "AUDIT",
  rule: { type: "cel", expression: "container.image.startsWith('docker.io/') ||\n  !container.image.contains('/')", message: "pulls from Docker Hub" },
};

describe("definitionToForm / formToDefinition", () => {
  it("round-trips a criteria policy with scope, exclusions and per-cluster enforcement", () => {
    expect(formToDefinition(definitionToForm(criteria))).toEqual(criteria);
  });

  it("round-trips a CEL policy (multi-line expression kept exactly) and leaves unset fields out", () => {
    expect(formToDefinition(definitionToForm(cel))).toEqual(cel);
  });

  it("round-trips a custom policy that keeps a built-in check (a clone)", () => {
    const clone: PolicyDefinition = { id: "no-privileged-copy", name: "No privileged (copy)", severity: "CRITICAL", enforcement: "ENFORCE", disabled: true, rule: { type: "builtin", id: "no-privileged" } };
    expect(formToDefinition(definitionToForm(clone))).toEqual(clone);
  });

  it("writes stages only when they differ from all three, unless the stored definition named them", () => {
    const f = definitionToForm(cel);
    expect(formToDefinition(f).stages).toBeUndefined();
    expect(formToDefinition({ ...f, stages: ["RUNTIME", "BUILD"] }).stages).toEqual(["BUILD", "RUNTIME"]);
    const all: PolicyDefinition = { ...cel, stages: ["BUILD", "DEPLOY", "RUNTIME"] };
    expect(formToDefinition(definitionToForm(all)).stages).toEqual(["BUILD", "DEPLOY", "RUNTIME"]);
  });

  it("types condition values by the field (numbers, booleans) and keeps strings, one value per line", () => {
    const f = emptyForm();
    f.id = "x";
    f.name = "X";
    f.sections = [
      {
        uid: uid(),
        conditions: [
          { uid: uid(), field: "container.ports.hostPort", operator: "in", valuesText: "80\n 443 \n\n" },
          { uid: uid(), field: "container.image.tag", operator: "in", valuesText: "latest\n1.0" },
          { uid: uid(), field: "pod.hostPID", operator: "equals", valuesText: "true" },
        ],
      },
    ];
    const rule = formToDefinition(f).rule as { sections: { conditions: { values: unknown[] }[] }[] };
    expect(rule.sections[0]!.conditions.map((c) => c.values)).toEqual([[80, 443], ["latest", "1.0"], [true]]);
    expect(typedValue("container.securityContext.runAsUser", "abc")).toBe("abc");
    expect(typedValue("unknown.field", "1")).toBe("1");
  });

  it("an empty form with an id and name compiles in the engine", () => {
    const f = { ...emptyForm(), id: "my-policy", name: "Mine" };
    const r = compilePolicy(formToDefinition(f));
    expect(r.ok).toBe(true);
  });

  it("leaves out an empty scope, empty exclusion rows and override rows without a cluster", () => {
    const f = definitionToForm(cel);
    f.exclusions = [{ ...f.scope, uid: uid() }];
    f.clusterEnforcement = [{ uid: uid(), cluster: "  ", mode: "ENFORCE" }];
    const def = formToDefinition(f);
    expect(def).not.toHaveProperty("scope");
    expect(def).not.toHaveProperty("exclusions");
    expect(def).not.toHaveProperty("clusterEnforcement");
  });

  it("splits name lists on commas and whitespace; only exclusions keep names", () => {
    const f = { uid: uid(), clusters: "a, b  c,", namespaces: "", kinds: "", names: "x", matchLabels: [], matchExpressions: [] };
    expect(scopeFromForm(f, false)).toEqual({ clusters: ["a", "b", "c"] });
    expect(scopeFromForm(f, true)).toEqual({ clusters: ["a", "b", "c"], names: ["x"] });
  });
});

describe("tunedBuiltinDefinition", () => {
  const builtin = BUILTIN_POLICIES.find((b) => b.id === "no-privileged")!;
  const stored: PolicyDefinition = {
    id: builtin.id,
    name: builtin.name,
    description: builtin.description,
    severity: builtin.severity,
    category: builtin.category,
    stages: [...builtin.stages],
    enforcement: builtin.enforcement,
    scope: { namespaces: ["old"] },
    rule: { type: "builtin", id: builtin.id },
  };

  it("keeps the stored check and metadata and takes only the tunable fields from the form", () => {
    const f = definitionToForm(stored);
    f.name = "changed in the form, ignored";
    f.enforcement = "ENFORCE";
    f.clusterEnforcement = [{ uid: uid(), cluster: "prod", mode: "WARN" }];
    f.scope = { ...f.scope, namespaces: "" };
    f.disabled = true;
    const def = tunedBuiltinDefinition(stored, f);
    expect(def).toEqual({ ...stored, scope: undefined, enforcement: "ENFORCE", clusterEnforcement: { prod: "WARN" }, disabled: true });
    expect(def).not.toHaveProperty("scope");
    expect(compilePolicy(def).ok).toBe(true);
  });
});

describe("formWarnings", () => {
  it("flags a cluster with two overrides", () => {
    const f = { ...emptyForm(), clusterEnforcement: [{ uid: uid(), cluster: "prod", mode: "WARN" as const }, { uid: uid(), cluster: "prod ", mode: "ENFORCE" as const }] };
    expect(formWarnings(f)).toEqual([{ path: "clusterEnforcement", message: expect.stringContaining("'prod'") }]);
    expect(formWarnings(emptyForm())).toEqual([]);
  });
});
