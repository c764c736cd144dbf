import { fieldDefinition, type Operator } from "@bulwark/policy";

// Readable text for policy rules and settings, shared by the list, the detail page and the editor.

export const OPERATOR_LABELS: Record<Operator, string> = {
  equals: "equals",
  notEquals: "does not equal",
  in: "is one of",
  notIn: "is none of",
  exists: "is set",
  notExists: "is not set",
  contains: "contains",
  notContains: "does not contain",
  startsWith: "starts with",
  endsWith: "ends with",
  matches: "matches regex",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
};

/** How many values an operator takes, as the engine checks it. */
export function operatorArity(op: string): "none" | "one" | "many" {
  if (op === "exists" || op === "notExists") return "none";
  if (op === "equals" || op === "notEquals" || op === "gt" || op === "gte" || op === "lt" || op === "lte") return "one";
  return "many";
}

export const SCOPE_LABELS: Record<string, string> = {
  resource: "Resource",
  pod: "Pod",
  container: "Container",
  image: "Image scan facts",
  request: "Admission request",
};

export function describeCondition(c: { field: string; operator: string; values?: readonly unknown[] }): string {
  const op = OPERATOR_LABELS[c.operator as Operator] ?? c.operator;
  const values = (c.values ?? []).map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v)));
  const shown = values.length === 0 ? "" : values.length === 1 ? ` ${values[0]}` : ` [${values.join(", ")}]`;
  return `${c.field} ${op}${shown}`;
}

export function fieldHint(id: string): string | undefined {
  const def = fieldDefinition(id);
  if (!def) return undefined;
  const extra = [def.default !== undefined ? `default ${String(def.default)}` : "", def.enum ? `one of ${def.enum.join(", ")}` : ""].filter(Boolean).join("; ");
  return `${def.type} — ${def.description}${extra ? ` (${extra})` : ""}`;
}

/** Per-cluster overrides in a stable order for display: [["prod-eu", "ENFORCE"], …]. */
export function overrideEntries(clusterEnforcement: Record<string, string> | undefined | null): [string, string][] {
  return Object.entries(clusterEnforcement ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** "prod-eu ENFORCE, staging WARN, +2 more" for the list's enforcement column. */
export function overrideSummary(clusterEnforcement: Record<string, string> | undefined | null, max = 2): string {
  const entries = overrideEntries(clusterEnforcement);
  if (entries.length === 0) return "";
  const shown = entries.slice(0, max).map(([c, m]) => `${c} ${m}`);
  return entries.length > max ? `${shown.join(", ")}, +${entries.length - max} more` : shown.join(", ");
}

export const ENFORCEMENT_HELP: Record<string, string> = {
  AUDIT: "Record violations only",
  WARN: "Admit with a warning",
  ENFORCE: "Deny at admission",
};

/** Server paths name the definition (`definition.rule.expression`); the editor's are relative to it. */
export function relativePath(path: string): string {
  if (path === "definition") return "";
  return path.startsWith("definition.") ? path.slice("definition.".length) : path.startsWith("definition[") ? path.slice("definition".length) : path;
}

/** Errors at `path` or below it (`scope` matches `scope.labelSelector.matchExpressions[0].values`). */
export function errorsAt<T extends { path: string }>(errors: readonly T[], path: string, exact = false): T[] {
  return errors.filter((e) => e.path === path || (!exact && (e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`))));
}
