import type { Operator } from "../model/schema.ts";
import type { PolicyCompileError } from "../model/types.ts";
import type { FieldDefinition } from "./catalog.ts";

// Operators compiled to predicates over one field value. Values are coerced to the field's type and
// regexes compiled once, here; a wrong value is a compile error at `values[i]`, never a runtime surprise.
// Semantics (also in docs/policies.md):
// - absent fields: `exists`/`notExists` see them as absent; other operators use the field's Kubernetes
//   default when it has one, otherwise equals/in/contains/startsWith/endsWith/matches/gt… do not hold
//   and notEquals/notIn/notContains do;
// - lists: contains = some element is one of the values, notContains = none is, in = every element is
//   (and there is one), notIn = some element is not, startsWith/endsWith/matches/gt… = some element;
//   exists = non-empty;
// - maps (labels): values are `key` or `key=value`; contains = some entry matches, notContains = none;
//   exists = non-empty.

export type Predicate = (value: unknown) => boolean;
type Scalar = string | number | boolean;
export type OperatorResult = { ok: true; test: Predicate } | { ok: false; errors: PolicyCompileError[] };

const NO_VALUES: ReadonlySet<Operator> = new Set(["exists", "notExists"]);
const ONE_VALUE: ReadonlySet<Operator> = new Set(["equals", "notEquals", "gt", "gte", "lt", "lte"]);

function coerce(def: FieldDefinition, value: Scalar): { value: Scalar } | { error: string } {
  const base = def.type === "number[]" ? "number" : def.type === "string[]" || def.type === "map" ? "string" : def.type;
  if (base === "number") {
    const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    return Number.isFinite(n) ? { value: n } : { error: `expected a number, got ${JSON.stringify(value)}` };
  }
  if (base === "boolean") {
    if (typeof value === "boolean") return { value };
    if (value === "true" || value === "false") return { value: value === "true" };
    return { error: `expected true or false, got ${JSON.stringify(value)}` };
  }
  return typeof value === "boolean" ? { error: `expected a string, got ${value}` } : { value: String(value) };
}

/** Validates and compiles `field operator values`; `path` is the condition's path in the policy. */
export function compileOperator(def: FieldDefinition, operator: Operator, rawValues: readonly Scalar[], path: string): OperatorResult {
  const errors: PolicyCompileError[] = [];
  if (!def.operators.includes(operator)) {
    return { ok: false, errors: [{ path: `${path}.operator`, message: `operator ${operator} does not apply to ${def.id} (${def.type}); use one of: ${def.operators.join(", ")}` }] };
  }
  if (NO_VALUES.has(operator) && rawValues.length > 0) errors.push({ path: `${path}.values`, message: `${operator} takes no values` });
  if (ONE_VALUE.has(operator) && rawValues.length !== 1) errors.push({ path: `${path}.values`, message: `${operator} takes exactly one value` });
  if (!NO_VALUES.has(operator) && !ONE_VALUE.has(operator) && rawValues.length === 0) errors.push({ path: `${path}.values`, message: `${operator} takes at least one value` });

  const values: Scalar[] = [];
  rawValues.forEach((raw, i) => {
    const v = coerce(def, raw);
    if ("error" in v) errors.push({ path: `${path}.values[${i}]`, message: v.error });
    else values.push(v.value);
  });
  // Enumerated fields: a misspelt value ("Privilegd") would silently never match.
  if (def.enum && (operator === "equals" || operator === "notEquals" || operator === "in" || operator === "notIn")) {
    rawValues.forEach((v, i) => {
      if (!def.enum!.includes(String(v))) errors.push({ path: `${path}.values[${i}]`, message: `must be one of: ${def.enum!.join(", ")}` });
    });
  }
  let regexes: RegExp[] = [];
  if (operator === "matches") {
    regexes = values.map((v, i) => {
      try {
        return new RegExp(String(v));
      } catch (err) {
        errors.push({ path: `${path}.values[${i}]`, message: `invalid regular expression: ${(err as Error).message}` });
        return /$^/;
      }
    });
  }
  if (errors.length > 0) return { ok: false, errors };

  const test =
    def.type === "string[]" || def.type === "number[]"
      ? listPredicate(operator, values, regexes)
      : def.type === "map"
        ? mapPredicate(operator, values as string[])
        : scalarPredicate(operator, values, regexes, def.default);
  return { ok: true, test };
}

function scalarPredicate(op: Operator, values: Scalar[], regexes: RegExp[], fallback: Scalar | undefined): Predicate {
  const first = values[0];
  const set = new Set<unknown>(values);
  const strings = values.map(String);
  const withDefault = fallback === undefined ? (v: unknown) => v : (v: unknown) => (v === undefined ? fallback : v);
  switch (op) {
    case "exists":
      return (v) => v !== undefined;
    case "notExists":
      return (v) => v === undefined;
    case "equals":
      return (v) => withDefault(v) === first;
    case "notEquals":
      return (v) => withDefault(v) !== first;
    case "in":
      return (v) => set.has(withDefault(v));
    case "notIn":
      return (v) => !set.has(withDefault(v));
    case "contains":
      return (v) => { const s = withDefault(v); return typeof s === "string" && strings.some((x) => s.includes(x)); };
    case "notContains":
      return (v) => { const s = withDefault(v); return typeof s !== "string" || !strings.some((x) => s.includes(x)); };
    case "startsWith":
      return (v) => { const s = withDefault(v); return typeof s === "string" && strings.some((x) => s.startsWith(x)); };
    case "endsWith":
      return (v) => { const s = withDefault(v); return typeof s === "string" && strings.some((x) => s.endsWith(x)); };
    case "matches":
      return (v) => { const s = withDefault(v); return typeof s === "string" && regexes.some((r) => r.test(s)); };
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return numberPredicate(op, first as number, withDefault);
  }
}

function numberPredicate(op: "gt" | "gte" | "lt" | "lte", bound: number, withDefault: (v: unknown) => unknown): Predicate {
  if (op === "gt") return (v) => { const n = withDefault(v); return typeof n === "number" && n > bound; };
  if (op === "gte") return (v) => { const n = withDefault(v); return typeof n === "number" && n >= bound; };
  if (op === "lt") return (v) => { const n = withDefault(v); return typeof n === "number" && n < bound; };
  return (v) => { const n = withDefault(v); return typeof n === "number" && n <= bound; };
}

function listPredicate(op: Operator, values: Scalar[], regexes: RegExp[]): Predicate {
  const set = new Set<unknown>(values);
  const element = scalarPredicate(op, values, regexes, undefined);
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  switch (op) {
    case "exists":
      return (v) => list(v).length > 0;
    case "notExists":
      return (v) => list(v).length === 0;
    case "contains":
      return (v) => list(v).some((x) => set.has(x));
    case "notContains":
      return (v) => !list(v).some((x) => set.has(x));
    case "in":
      return (v) => { const xs = list(v); return xs.length > 0 && xs.every((x) => set.has(x)); };
    case "notIn":
      return (v) => list(v).some((x) => !set.has(x));
    default:
      // startsWith, endsWith, matches, gt, gte, lt, lte: some element.
      return (v) => list(v).some(element);
  }
}

function mapPredicate(op: Operator, values: string[]): Predicate {
  const entries = values.map((v) => {
    const eq = v.indexOf("=");
    return eq < 0 ? { key: v, value: undefined } : { key: v.slice(0, eq), value: v.slice(eq + 1) };
  });
  const asMap = (v: unknown): Record<string, string> => (typeof v === "object" && v !== null ? (v as Record<string, string>) : {});
  const has = (m: Record<string, string>) =>
    entries.some((e) => Object.prototype.hasOwnProperty.call(m, e.key) && (e.value === undefined || m[e.key] === e.value));
  switch (op) {
    case "exists":
      return (v) => Object.keys(asMap(v)).length > 0;
    case "notExists":
      return (v) => Object.keys(asMap(v)).length === 0;
    case "contains":
      return (v) => has(asMap(v));
    default:
      return (v) => !has(asMap(v));
  }
}
