import { type ENFORCEMENT_MODES, fieldDefinition, type RESPONSE_ACTIONS, type SEVERITIES, STAGES, THREAT_IDS, type PolicyDefinition } from "@bulwark/policy";

// The editor's state and its two-way mapping to a policy definition. The form keeps raw text where an
// admin types (lists, values, MITRE ids) so typing is never fought by re-parsing; the definition is
// derived from it on every change and validated by the engine in the browser, then again on the server.

export type Mode = (typeof ENFORCEMENT_MODES)[number];
export type SeverityValue = (typeof SEVERITIES)[number];
export type StageValue = (typeof STAGES)[number];
export type ThreatValue = (typeof THREAT_IDS)[number];
export type ResponseActionValue = (typeof RESPONSE_ACTIONS)[number];
export type RuleType = "criteria" | "cel" | "builtin";

/** What an organization may change on a built-in (the rest is Bulwark's; clone it to edit more). */
export const BUILTIN_TUNABLE_FIELDS = ["enforcement", "clusterEnforcement", "disabled", "scope", "exclusions", "response"] as const;

let seq = 0;
/** Stable React keys for rows that can be added, removed and reordered. */
export const uid = (): string => `r${++seq}`;

export interface ConditionForm {
  uid: string;
  field: string;
  operator: string;
  /** One value per line. */
  valuesText: string;
}
export interface SectionForm {
  uid: string;
  conditions: ConditionForm[];
}
export interface LabelForm {
  uid: string;
  key: string;
  value: string;
}
export interface ExpressionForm {
  uid: string;
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  /** Comma- or space-separated. */
  valuesText: string;
}
export interface ScopeForm {
  uid: string;
  /** Comma- or space-separated name lists (globs allowed). */
  clusters: string;
  namespaces: string;
  kinds: string;
  /** Exclusions only. */
  names: string;
  matchLabels: LabelForm[];
  matchExpressions: ExpressionForm[];
}
export interface OverrideForm {
  uid: string;
  cluster: string;
  mode: Mode;
}

export interface PolicyForm {
  id: string;
  name: string;
  description: string;
  rationale: string;
  remediation: string;
  severity: SeverityValue | "";
  category: string;
  stages: StageValue[];
  /** The stored definition named its stages; keep writing them even when all three are checked. */
  stagesExplicit: boolean;
  enforcement: Mode;
  clusterEnforcement: OverrideForm[];
  mitre: string;
  threats: ThreatValue[];
  disabled: boolean;
  ruleType: RuleType;
  builtinId: string;
  sections: SectionForm[];
  celExpression: string;
  celMessage: string;
  scope: ScopeForm;
  exclusions: ScopeForm[];
  /** Runtime response ("" for none) and its Falco rule names, one per line. */
  responseAction: ResponseActionValue | "";
  responseRules: string;
}

export const splitList = (s: string): string[] => s.split(/[\s,]+/).filter((x) => x !== "");
const joinList = (xs: readonly string[] | undefined): string => (xs ?? []).join(", ");
const valueLines = (s: string): string[] =>
  s
    .split("\n")
    .map((x) => x.trim())
    .filter((x) => x !== "");

export const emptyCondition = (): ConditionForm => ({ uid: uid(), field: "container.securityContext.privileged", operator: "equals", valuesText: "true" });
export const emptySection = (): SectionForm => ({ uid: uid(), conditions: [emptyCondition()] });
export const emptyScope = (): ScopeForm => ({ uid: uid(), clusters: "", namespaces: "", kinds: "", names: "", matchLabels: [], matchExpressions: [] });

export function emptyForm(): PolicyForm {
  return {
    id: "",
    name: "",
    description: "",
    rationale: "",
    remediation: "",
    severity: "MEDIUM",
    category: "custom",
    stages: [...STAGES],
    stagesExplicit: false,
    enforcement: "AUDIT",
    clusterEnforcement: [],
    mitre: "",
    threats: [],
    disabled: false,
    ruleType: "criteria",
    builtinId: "",
    sections: [emptySection()],
    celExpression: "",
    celMessage: "",
    scope: emptyScope(),
    exclusions: [],
    responseAction: "",
    responseRules: "",
  };
}

/** Values typed as text, as the field's type wants them (the engine also coerces, but YAML should read `0`, not `"0"`). */
export function typedValue(fieldId: string, raw: string): string | number | boolean {
  const type = fieldDefinition(fieldId)?.type;
  if ((type === "number" || type === "number[]") && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

type Selector = NonNullable<NonNullable<PolicyDefinition["scope"]>["labelSelector"]>;
type ScopeLike = { clusters?: string[]; namespaces?: string[]; kinds?: string[]; names?: string[]; labelSelector?: Selector };

function scopeToForm(s: ScopeLike | undefined): ScopeForm {
  return {
    uid: uid(),
    clusters: joinList(s?.clusters),
    namespaces: joinList(s?.namespaces),
    kinds: joinList(s?.kinds),
    names: joinList(s?.names),
    matchLabels: Object.entries(s?.labelSelector?.matchLabels ?? {}).map(([key, value]) => ({ uid: uid(), key, value })),
    matchExpressions: (s?.labelSelector?.matchExpressions ?? []).map((e) => ({ uid: uid(), key: e.key, operator: e.operator, valuesText: joinList(e.values) })),
  };
}

/** The scope (or exclusion) a form describes; undefined when it sets nothing. */
export function scopeFromForm(f: ScopeForm, withNames: boolean): ScopeLike | undefined {
  const out: ScopeLike = {};
  const lists = [["clusters", f.clusters], ["namespaces", f.namespaces], ["kinds", f.kinds], ...(withNames ? [["names", f.names] as const] : [])] as const;
  for (const [k, text] of lists) {
    const xs = splitList(text);
    if (xs.length > 0) out[k] = xs;
  }
  const labels = f.matchLabels.filter((l) => l.key.trim() !== "");
  const exprs = f.matchExpressions.filter((e) => e.key.trim() !== "");
  if (labels.length > 0 || exprs.length > 0) {
    out.labelSelector = {
      ...(labels.length > 0 ? { matchLabels: Object.fromEntries(labels.map((l) => [l.key.trim(), l.value.trim()])) } : {}),
      ...(exprs.length > 0
        ? {
            matchExpressions: exprs.map((e) => {
              const values = splitList(e.valuesText);
              return { key: e.key.trim(), operator: e.operator, ...(values.length > 0 ? { values } : {}) };
            }),
          }
        : {}),
    };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function definitionToForm(def: PolicyDefinition): PolicyForm {
  const rule = def.rule;
  return {
    id: def.id,
    name: def.name ?? "",
    description: def.description ?? "",
    rationale: def.rationale ?? "",
    remediation: def.remediation ?? "",
    severity: def.severity ?? "",
    category: def.category ?? "",
    stages: def.stages ? [...def.stages] : [...STAGES],
    stagesExplicit: def.stages !== undefined,
    enforcement: def.enforcement ?? "AUDIT",
    clusterEnforcement: Object.entries(def.clusterEnforcement ?? {}).map(([cluster, mode]) => ({ uid: uid(), cluster, mode })),
    mitre: joinList(def.mitre),
    threats: [...(def.threats ?? [])],
    disabled: def.disabled ?? false,
    ruleType: rule?.type ?? "builtin",
    builtinId: rule?.type === "builtin" ? rule.id : rule === undefined ? def.id : "",
    sections:
      rule?.type === "criteria"
        ? rule.sections.map((s) => ({ uid: uid(), conditions: s.conditions.map((c) => ({ uid: uid(), field: c.field, operator: c.operator, valuesText: (c.values ?? []).map(String).join("\n") })) }))
        : [emptySection()],
    celExpression: rule?.type === "cel" ? rule.expression : "",
    celMessage: rule?.type === "cel" ? (rule.message ?? "") : "",
    scope: scopeToForm(def.scope),
    exclusions: (def.exclusions ?? []).map(scopeToForm),
    responseAction: def.response?.action ?? "",
    responseRules: (def.response?.runtimeRules ?? []).join("\n"),
  };
}

function ruleFromForm(f: PolicyForm): Record<string, unknown> {
  if (f.ruleType === "builtin") return { type: "builtin", id: f.builtinId };
  if (f.ruleType === "cel") return { type: "cel", expression: f.celExpression, ...(f.celMessage.trim() !== "" ? { message: f.celMessage.trim() } : {}) };
  return {
    type: "criteria",
    sections: f.sections.map((s) => ({
      conditions: s.conditions.map((c) => ({ field: c.field, operator: c.operator, values: valueLines(c.valuesText).map((v) => typedValue(c.field, v)) })),
    })),
  };
}

function clusterEnforcementFromForm(rows: OverrideForm[]): Record<string, Mode> | undefined {
  const named = rows.filter((r) => r.cluster.trim() !== "");
  return named.length > 0 ? Object.fromEntries(named.map((r) => [r.cluster.trim(), r.mode])) : undefined;
}

/** Tuning fields as a definition fragment; absent ones are left out, so "no scope" is really none. */
function tunables(f: PolicyForm): Record<string, unknown> {
  const scope = scopeFromForm(f.scope, false);
  const exclusions = f.exclusions.map((e) => scopeFromForm(e, true)).filter((e): e is ScopeLike => e !== undefined);
  const clusterEnforcement = clusterEnforcementFromForm(f.clusterEnforcement);
  const rules = valueLines(f.responseRules);
  return {
    enforcement: f.enforcement,
    ...(clusterEnforcement ? { clusterEnforcement } : {}),
    ...(f.disabled ? { disabled: true } : {}),
    ...(scope ? { scope } : {}),
    ...(exclusions.length > 0 ? { exclusions } : {}),
    ...(f.responseAction !== "" ? { response: { action: f.responseAction, ...(rules.length > 0 ? { runtimeRules: rules } : {}) } } : {}),
  };
}

/** The definition a custom policy's form describes (validation is the engine's job, not this one's). */
export function formToDefinition(f: PolicyForm): Record<string, unknown> {
  const text = (k: string, v: string) => (v.trim() !== "" ? { [k]: v } : {});
  const allStages = f.stages.length === STAGES.length;
  const mitre = splitList(f.mitre);
  return {
    id: f.id.trim(),
    ...text("name", f.name.trim()),
    ...text("description", f.description),
    ...text("rationale", f.rationale),
    ...text("remediation", f.remediation),
    ...(f.severity !== "" ? { severity: f.severity } : {}),
    ...text("category", f.category.trim()),
    // Stage order as the engine lists them, whatever order the boxes were ticked in.
    ...(!allStages || f.stagesExplicit ? { stages: STAGES.filter((s) => f.stages.includes(s)) } : {}),
    ...(mitre.length > 0 ? { mitre } : {}),
    ...(f.threats.length > 0 ? { threats: THREAT_IDS.filter((t) => f.threats.includes(t)) } : {}),
    ...tunables(f),
    rule: ruleFromForm(f),
  };
}

/**
 * A built-in's next definition: what is stored, with only the tunable fields taken from the form
 * (the server refuses any other change to a built-in).
 */
export function tunedBuiltinDefinition(current: PolicyDefinition, f: PolicyForm): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(current).filter(([k]) => !(BUILTIN_TUNABLE_FIELDS as readonly string[]).includes(k)));
  return { ...kept, ...tunables(f) };
}

/** Problems the schema cannot see because the form would silently merge them. */
export function formWarnings(f: PolicyForm): { path: string; message: string }[] {
  const seen = new Set<string>();
  const out: { path: string; message: string }[] = [];
  for (const r of f.clusterEnforcement) {
    const name = r.cluster.trim();
    if (name === "") continue;
    if (seen.has(name)) out.push({ path: "clusterEnforcement", message: `cluster '${name}' has more than one override; only the last one counts` });
    seen.add(name);
  }
  return out;
}
