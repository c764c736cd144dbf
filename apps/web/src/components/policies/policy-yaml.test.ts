import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { definitionToYaml, describeFileError, orderDefinition, parsePolicyImport, policiesToYaml } from "./policy-yaml.ts";

// As Postgres jsonb returns it: keys ordered by length, not as written.
const fromJsonb = {
  id: "no-docker-hub",
  name: "No Docker Hub images",
  rule: { type: "cel", message: "pulls from Docker Hub", expression: "container.image.startsWith('docker.io/')\n|| !container.image.contains('/')" },
  scope: { labelSelector: { matchExpressions: [{ values: ["batch"], operator: "NotIn", key: "tier" }], matchLabels: { z: "1", a: "2" } }, kinds: ["Deployment"], clusters: ["prod"] },
  severity: "LOW",
  enforcement: "WARN",
  clusterEnforcement: { staging: "AUDIT", "prod-eu": "ENFORCE" },
};

describe("orderDefinition", () => {
  it("puts keys in documentation order at every level and sorts plain maps", () => {
    const o = orderDefinition(fromJsonb) as Record<string, Record<string, unknown>>;
    expect(Object.keys(o)).toEqual(["id", "name", "severity", "enforcement", "clusterEnforcement", "scope", "rule"]);
    expect(Object.keys(o.rule!)).toEqual(["type", "expression", "message"]);
    expect(Object.keys(o.scope!)).toEqual(["clusters", "kinds", "labelSelector"]);
    expect(Object.keys(o.clusterEnforcement!)).toEqual(["prod-eu", "staging"]);
    const sel = o.scope!.labelSelector as { matchLabels: object; matchExpressions: object[] };
    expect(Object.keys(sel)).toEqual(["matchLabels", "matchExpressions"]);
    expect(Object.keys(sel.matchLabels)).toEqual(["a", "z"]);
    expect(Object.keys(sel.matchExpressions[0]!)).toEqual(["key", "operator", "values"]);
  });
});

describe("definitionToYaml / policiesToYaml", () => {
  it("round-trips through YAML, multi-line CEL as a block", () => {
    const text = definitionToYaml(fromJsonb);
    expect(text.startsWith("id: no-docker-hub\nname: No Docker Hub images\n")).toBe(true);
    expect(text).toContain("expression: |-\n");
    expect(parse(text)).toEqual(fromJsonb);
  });

  it("writes a policies: file the import reads back as valid definitions", () => {
    const other = { id: "no-privileged", enforcement: "ENFORCE", exclusions: [{ namespaces: ["kube-system"] }] };
    const parsed = parsePolicyImport(policiesToYaml([fromJsonb, other]));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.definitions.map((d) => d.id)).toEqual(["no-docker-hub", "no-privileged"]);
    // A built-in override without a rule names the built-in's check.
    expect(parsed.definitions[1]!.rule).toEqual({ type: "builtin", id: "no-privileged" });
    expect(parsed.definitions[0]!.clusterEnforcement).toEqual({ "prod-eu": "ENFORCE", staging: "AUDIT" });
  });
});

describe("parsePolicyImport", () => {
  it("reads one definition per YAML document", () => {
    const r = parsePolicyImport("id: a-one\nname: A\nseverity: LOW\nrule: {type: cel, expression: 'true'}\n---\nid: b-two\nname: B\nseverity: HIGH\nrule: {type: cel, expression: 'false'}\n");
    expect(r.ok && r.definitions.map((d) => d.id)).toEqual(["a-one", "b-two"]);
  });

  it("reports errors with the definition path and the line in the file", () => {
    const text = ["policies:", "  - id: ok-one", "    name: Ok", "    severity: LOW", "    rule: {type: cel, expression: 'true'}", "  - id: bad", "    name: Bad", "    severity: LOW", "    enforcment: ENFORCE", "    rule:", "      type: cel", "      expression: 'container.image ==='"].join("\n");
    const r = parsePolicyImport(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const unknownKey = r.errors.find((e) => e.path.startsWith("[1]"));
    expect(unknownKey).toBeDefined();
    expect(unknownKey!.file?.line).toBeGreaterThanOrEqual(6);
    expect(describeFileError(unknownKey!)).toMatch(/^line \d+, column \d+: \[1\]/);
  });

  it("reports a CEL error with its position inside the expression", () => {
    const r = parsePolicyImport("id: c\nname: C\nseverity: LOW\nrule:\n  type: cel\n  expression: |-\n    true &&\n    container.image ===\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) => x.path === "[0].rule.expression");
    expect(e?.expression?.line).toBe(2);
    expect(describeFileError(e!)).toContain("(expression line 2, column");
  });

  it("refuses empty text, YAML syntax errors and files without definitions", () => {
    expect(parsePolicyImport("  \n")).toEqual({ ok: false, errors: [{ path: "", message: "the file is empty" }] });
    const syntax = parsePolicyImport("policies: [\n  - id: x\n");
    expect(syntax.ok).toBe(false);
    if (!syntax.ok) expect(syntax.errors[0]!.file?.line).toBeGreaterThanOrEqual(1);
    expect(parsePolicyImport("policies: []\n")).toEqual({ ok: false, errors: [{ path: "", message: "the file contains no policy definitions" }] });
  });
});
