import { describe, expect, it } from "vitest";
import { compilePolicyFile } from "./policy-file.ts";
import { locate, parseYamlSource } from "./yaml-source.ts";

const YAML_LIST = `# custom policies
- id: no-privileged
  enforcement: ENFORCE
- id: no-root
  name: No root
  severity: HIGH
  rule:
    type: cel
    expression: |
      containers.exists(c,
        c.securityContext.runAsUser ==)
`;

describe("compilePolicyFile", () => {
  it("accepts a list, a {policies: [...]} object, one definition per document, and JSON", () => {
    const def = "id: a\nname: A\nseverity: LOW\nrule: {type: cel, expression: 'true'}";
    for (const text of [`- ${def.replaceAll("\n", "\n  ")}`, `policies:\n  - ${def.replaceAll("\n", "\n    ")}`, `${def}\n---\nid: no-malware\n`, JSON.stringify([{ id: "a", name: "A", severity: "LOW", rule: { type: "cel", expression: "true" } }])]) {
      const r = compilePolicyFile(text);
      expect(r.ok, text).toBe(true);
    }
    expect(compilePolicyFile("").ok).toBe(true);
  });

  it("points errors at the file line and, for CEL, into the expression", () => {
    const r = compilePolicyFile(YAML_LIST);
    expect(r).toEqual({
      ok: false,
      errors: [{ path: "[1].rule.expression", message: "Unexpected token: RPAREN", file: { line: 9, column: 17 }, expression: { line: 2, column: 33, offset: 53 } }],
    });
  });

  it("locates schema errors and falls back to the closest written parent", () => {
    const r = compilePolicyFile("policies:\n  - id: x\n    name: X\n    severity: SEVERE\n    rule: {type: cel, expression: 'true'}\n");
    expect(!r.ok && r.errors).toEqual([{ path: "[0].severity", message: expect.stringMatching(/^Invalid option/), file: { line: 4, column: 15 } }]);
    const missing = compilePolicyFile("- id: x\n  rule: {type: cel, expression: 'true'}\n");
    expect(!missing.ok && missing.errors.map((e) => [e.path, e.file?.line])).toEqual([
      ["[0].name", 1],
      ["[0].severity", 1],
    ]);
  });

  it("reports YAML syntax errors with their position", () => {
    const r = compilePolicyFile("- id: x\n  name: [unclosed\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]?.path).toBe("");
    expect(r.errors[0]?.file?.line).toBeGreaterThan(0);
  });

  it("refuses alias bombs and over-deep nesting", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 6 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join("\n");
    expect(compilePolicyFile(bomb).ok).toBe(false);
    expect(compilePolicyFile("[".repeat(5000) + "]".repeat(5000))).toEqual({ ok: false, errors: [{ path: "", message: "the file nests too deep" }] });
  });
});

describe("the policy file example of docs/policies.md", () => {
  it("compiles", () => {
    const text = `policies:
  - id: no-privileged
    enforcement: ENFORCE
    exclusions: [{namespaces: [kube-system]}]
  - id: trusted-root-only
    name: Root containers only from the company registry
    severity: HIGH
    enforcement: WARN
    stages: [BUILD, DEPLOY]
    scope: {namespaces: ["prod-*"], labelSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [batch]}]}}
    rule:
      type: criteria
      sections:
        - conditions:
            - {field: container.securityContext.runAsUser, operator: equals, values: [0]}
            - {field: container.image.registry, operator: notIn, values: [ghcr.io]}
  - id: no-docker-hub
    name: No Docker Hub images
    severity: LOW
    rule:
      type: cel
      expression: "container.image.startsWith('docker.io/') || !container.image.contains('/')"
      message: pulls from Docker Hub
`;
    const r = compilePolicyFile(text, { withBuiltins: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policies.find((p) => p.id === "no-privileged")).toMatchObject({ enforcement: "ENFORCE", ruleKind: "builtin" });
    expect(r.policies.slice(-2).map((p) => p.id)).toEqual(["trusted-root-only", "no-docker-hub"]);
  });
});

describe("yaml source positions", () => {
  it("finds a manifest path, in YAML and JSON", () => {
    const yaml = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      securityContext:\n        privileged: true\n";
    const src = parseYamlSource(yaml)!;
    expect(src.position(locate(src.documents[0]!, "spec.containers[0].securityContext.privileged")!)).toEqual({ line: 7, column: 21 });
    // Not written: the closest parent that is.
    expect(src.position(locate(src.documents[0]!, "spec.containers[0].securityContext.runAsNonRoot")!)).toEqual({ line: 7, column: 9 });
    const json = parseYamlSource('{"spec": {"containers": [{"name": "a"}]}}')!;
    expect(json.position(locate(json.documents[0]!, "spec.containers[0].name")!)).toEqual({ line: 1, column: 35 });
  });
});
