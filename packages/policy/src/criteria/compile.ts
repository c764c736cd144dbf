import { type EvalContext, factsOf } from "../engine/context.ts";
import type { CriteriaCondition } from "../model/schema.ts";
import type { PolicyCompileError } from "../model/types.ts";
import type { Violation } from "../types.ts";
import { ACCESSORS, type FieldAccessor } from "./accessors.ts";
import { type FieldDefinition, FIELD_CATALOG, fieldDefinition } from "./catalog.ts";
import { compileOperator, type Predicate } from "./operators.ts";

// Criteria describe the bad state, as an admin builds it in a form: sections are ORed, the conditions
// of a section ANDed. Conditions on container or image fields must all hold for the SAME container, and
// each such container is one violation naming it; a section of only resource/pod/request conditions
// gives one resource-level violation. Compiled to closures: evaluating never looks at the definition.

interface CompiledCondition {
  readonly def: FieldDefinition;
  readonly accessor: FieldAccessor;
  readonly test: Predicate;
  readonly label: string;
}

interface CompiledSection {
  readonly resourceConditions: readonly CompiledCondition[];
  readonly containerConditions: readonly CompiledCondition[];
  readonly label: string;
}

export type CriteriaCompileResult = { ok: true; check: (ctx: EvalContext) => Violation[] } | { ok: false; errors: PolicyCompileError[] };

function suggest(field: string): string {
  const prefix = field.split(".")[0] ?? "";
  const near = FIELD_CATALOG.filter((d) => d.id.startsWith(`${prefix}.`) && d.id.includes(field.split(".").pop() ?? "\0")).map((d) => d.id);
  return near.length > 0 ? ` (did you mean ${near.slice(0, 3).join(", ")}?)` : " (see the field catalog in docs/policies.md)";
}

function compileCondition(cond: CriteriaCondition, path: string, errors: PolicyCompileError[]): CompiledCondition | undefined {
  const def = fieldDefinition(cond.field);
  const accessor = ACCESSORS[cond.field];
  if (!def || !accessor) {
    errors.push({ path: `${path}.field`, message: `unknown field '${cond.field}'${suggest(cond.field)}` });
    return undefined;
  }
  const op = compileOperator(def, cond.operator, cond.values, path);
  if (!op.ok) {
    errors.push(...op.errors);
    return undefined;
  }
  const label = `${cond.field} ${cond.operator}${cond.values.length > 0 ? ` ${cond.values.map((v) => String(v)).join(", ")}` : ""}`;
  return { def, accessor, test: op.test, label };
}

/** Compiles criteria sections; `basePath` is where they sit in the policy (`rule`). */
export function compileCriteria(sections: readonly { conditions: readonly CriteriaCondition[] }[], message: string, basePath = "rule"): CriteriaCompileResult {
  const errors: PolicyCompileError[] = [];
  const compiled: CompiledSection[] = [];
  sections.forEach((section, s) => {
    const resourceConditions: CompiledCondition[] = [];
    const containerConditions: CompiledCondition[] = [];
    section.conditions.forEach((cond, c) => {
      const cc = compileCondition(cond, `${basePath}.sections[${s}].conditions[${c}]`, errors);
      if (!cc) return;
      (cc.def.scope === "container" || cc.def.scope === "image" ? containerConditions : resourceConditions).push(cc);
    });
    const label = [...resourceConditions, ...containerConditions].map((c) => c.label).join(" and ");
    compiled.push({ resourceConditions, containerConditions, label });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, check: (ctx) => evaluateSections(compiled, ctx, message) };
}

function holdsForResource(cond: CompiledCondition, ctx: EvalContext): boolean {
  const scope = cond.def.scope;
  // Pod fields mean nothing for a Service; request fields only exist at admission.
  if (scope === "pod" && ctx.input.resource.podSpec === undefined) return false;
  if (scope === "request" && ctx.input.request === undefined) return false;
  return cond.test(cond.accessor.read(ctx, -1));
}

function holdsForContainer(cond: CompiledCondition, ctx: EvalContext, i: number): boolean {
  // Image facts unknown (CI, not yet scanned): image conditions do not hold, so unknown never fails.
  if (cond.def.scope === "image" && cond.def.id !== "image.scanned") {
    const c = ctx.input.resource.containers[i];
    if (!c || factsOf(ctx.input, c.image) === undefined) return false;
  }
  return cond.test(cond.accessor.read(ctx, i));
}

function formatValue(value: unknown): string {
  if (value === undefined) return "<absent>";
  if (Array.isArray(value)) return `[${value.map(String).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, v]) => typeof v === "string")) return `{${entries.map(([k, v]) => `${k}=${String(v)}`).join(", ")}}`;
    return "{…}";
  }
  return String(value);
}

function evidenceOf(conditions: readonly CompiledCondition[], ctx: EvalContext, i: number): string {
  return conditions.map((c) => `${c.def.id}=${formatValue(c.accessor.read(ctx, i))}`).join("; ").slice(0, 500);
}

function evaluateSections(sections: readonly CompiledSection[], ctx: EvalContext, message: string): Violation[] {
  const out: Violation[] = [];
  let flagged: Set<number> | undefined;
  let resourceFlagged = false;
  const { containers } = ctx.input.resource;
  for (const section of sections) {
    let holds = true;
    for (const cond of section.resourceConditions) if (!holdsForResource(cond, ctx)) { holds = false; break; }
    if (!holds) continue;
    if (section.containerConditions.length === 0) {
      if (resourceFlagged) continue;
      resourceFlagged = true;
      const first = section.resourceConditions[0];
      out.push({ message: `${message}: ${section.label}`, path: first?.accessor.path(ctx, -1), evidence: evidenceOf(section.resourceConditions, ctx, -1) });
      continue;
    }
    for (let i = 0; i < containers.length; i++) {
      if (flagged?.has(i)) continue;
      let all = true;
      for (const cond of section.containerConditions) if (!holdsForContainer(cond, ctx, i)) { all = false; break; }
      if (!all) continue;
      (flagged ??= new Set()).add(i);
      const first = section.containerConditions[0]!;
      const evidence = [evidenceOf(section.containerConditions, ctx, i), section.resourceConditions.length > 0 ? evidenceOf(section.resourceConditions, ctx, -1) : ""].filter(Boolean).join("; ");
      out.push({ message: `${message}: ${section.label}`, container: containers[i]!.name, path: first.accessor.path(ctx, i), evidence });
    }
  }
  return out;
}
