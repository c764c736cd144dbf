import { compilePolicyFile, type PolicyFileError } from "@bulwark/policy";
import { stringify } from "yaml";

// Policies as YAML: export (one definition or a `policies:` list), the text the version diff compares,
// and import. Stored definitions come back from Postgres jsonb with its own key order (by length), so
// keys are put in the order docs/policies.md writes them; diffs then only show real changes.

const ORDER: Record<string, readonly string[]> = {
  definition: ["id", "name", "description", "rationale", "remediation", "severity", "category", "stages", "enforcement", "clusterEnforcement", "mitre", "threats", "disabled", "scope", "exclusions", "rule", "response"],
  rule: ["type", "id", "expression", "message", "sections"],
  scope: ["clusters", "namespaces", "kinds", "names", "labelSelector"],
  labelSelector: ["matchLabels", "matchExpressions"],
  expression: ["key", "operator", "values"],
  condition: ["field", "operator", "values"],
};

function ordered(obj: Record<string, unknown>, order: readonly string[] | undefined, child: (key: string, value: unknown) => unknown): Record<string, unknown> {
  const known = order ?? [];
  const keys = Object.keys(obj).sort((a, b) => {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return Object.fromEntries(keys.filter((k) => obj[k] !== undefined).map((k) => [k, child(k, obj[k])]));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Plain maps (labels, clusterEnforcement) and unknown objects: alphabetical. */
function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  return isObject(v) ? ordered(v, undefined, (_k, x) => sortedDeep(x)) : v;
}

function scopeOrdered(v: unknown): unknown {
  if (!isObject(v)) return v;
  return ordered(v, ORDER.scope, (k, x) => {
    if (k !== "labelSelector" || !isObject(x)) return sortedDeep(x);
    return ordered(x, ORDER.labelSelector, (kk, xx) =>
      kk === "matchExpressions" && Array.isArray(xx) ? xx.map((e) => (isObject(e) ? ordered(e, ORDER.expression, (_k, y) => y) : e)) : sortedDeep(xx),
    );
  });
}

function ruleOrdered(v: unknown): unknown {
  if (!isObject(v)) return v;
  return ordered(v, ORDER.rule, (k, x) => {
    if (k !== "sections" || !Array.isArray(x)) return x;
    return x.map((s) =>
      isObject(s) ? ordered(s, ["conditions"], (_k, cs) => (Array.isArray(cs) ? cs.map((c) => (isObject(c) ? ordered(c, ORDER.condition, (_kk, y) => y) : c)) : cs)) : s,
    );
  });
}

/** A definition with its keys in documentation order (nested scope, selector, rule and conditions too). */
export function orderDefinition(def: unknown): unknown {
  if (!isObject(def)) return def;
  return ordered(def, ORDER.definition, (k, v) => {
    if (k === "scope") return scopeOrdered(v);
    if (k === "exclusions" && Array.isArray(v)) return v.map(scopeOrdered);
    if (k === "rule") return ruleOrdered(v);
    return sortedDeep(v);
  });
}

const YAML_OPTIONS = { lineWidth: 0, indent: 2 } as const;

export function definitionToYaml(def: unknown): string {
  return stringify(orderDefinition(def), YAML_OPTIONS);
}

/** Several definitions as one policy file (`policies:` list), as `bulwark policy eval --policies` and import read it. */
export function policiesToYaml(defs: readonly unknown[]): string {
  return stringify({ policies: defs.map(orderDefinition) }, YAML_OPTIONS);
}

export const MAX_IMPORT_BYTES = 1024 * 1024;
export const MAX_IMPORT_POLICIES = 200;

export type ImportParse = { ok: true; definitions: Record<string, unknown>[] } | { ok: false; errors: PolicyFileError[] };

/**
 * A pasted or uploaded policy file, validated exactly as the CLI and bundles read it. The definitions
 * returned are the engine's validated ones (a built-in override without a rule names the built-in's
 * check), ready to send to the server, which validates them again.
 */
export function parsePolicyImport(text: string): ImportParse {
  if (text.trim() === "") return { ok: false, errors: [{ path: "", message: "the file is empty" }] };
  if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) return { ok: false, errors: [{ path: "", message: `the file is larger than ${MAX_IMPORT_BYTES / 1024} KiB` }] };
  const result = compilePolicyFile(text);
  if (!result.ok) return result;
  if (result.policies.length === 0) return { ok: false, errors: [{ path: "", message: "the file contains no policy definitions" }] };
  if (result.policies.length > MAX_IMPORT_POLICIES) return { ok: false, errors: [{ path: "", message: `at most ${MAX_IMPORT_POLICIES} policies per import` }] };
  return { ok: true, definitions: result.policies.map((p) => p.definition as Record<string, unknown>) };
}

/** `[1].rule.expression` at line 12, column 5 of the file → one readable line. */
export function describeFileError(e: PolicyFileError): string {
  const where = e.file ? `line ${e.file.line}, column ${e.file.column}` : "";
  const inExpr = e.expression ? ` (expression line ${e.expression.line}, column ${e.expression.column})` : "";
  const path = e.path !== "" ? `${e.path}: ` : "";
  return `${where !== "" ? `${where}: ` : ""}${path}${e.message}${inExpr}`;
}
