import type { PolicyExclusion, PolicyScope } from "../model/schema.ts";
import type { EvaluationInput } from "../types.ts";
import { compileLabelSelector } from "./label-selector.ts";

// Where a policy applies: its scope (every field it sets must match) minus its exclusions (any
// exclusion whose fields all match takes the resource out). Compiled once into one predicate; a policy
// without scope or exclusions has none, so the engine skips the call entirely.

type Matcher = (input: EvaluationInput) => boolean;

/** Exact names go through a Set; names with `*` become anchored regexes (`kube-*`, `*-system`). */
export function compileNamePatterns(patterns: readonly string[]): (value: string | undefined) => boolean {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of patterns) {
    if (!p.includes("*")) exact.add(p);
    else globs.push(new RegExp(`^${p.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`));
  }
  return (value) => value !== undefined && (exact.has(value) || globs.some((g) => g.test(value)));
}

/** The namespace a resource lands in: its own, else the admission request's (`kubectl apply -n`). */
export function namespaceOf(input: EvaluationInput): string | undefined {
  return input.resource.namespace ?? input.request?.namespace;
}

function fieldMatchers(spec: PolicyScope & { names?: string[] }): Matcher[] {
  const out: Matcher[] = [];
  if (spec.clusters) {
    const m = compileNamePatterns(spec.clusters);
    out.push((input) => m(input.cluster));
  }
  if (spec.namespaces) {
    const m = compileNamePatterns(spec.namespaces);
    out.push((input) => m(namespaceOf(input)));
  }
  if (spec.kinds) {
    const m = compileNamePatterns(spec.kinds);
    out.push((input) => m(input.resource.kind));
  }
  if (spec.names) {
    const m = compileNamePatterns(spec.names);
    out.push((input) => m(input.resource.name));
  }
  if (spec.labelSelector) {
    const m = compileLabelSelector(spec.labelSelector);
    // A Deployment's own labels and its pods' labels are both "its labels" to an admin.
    out.push((input) => m(input.resource.labels) || (input.resource.podMetadata !== undefined && m(input.resource.podMetadata.labels)));
  }
  return out;
}

export function compileScope(scope: PolicyScope | undefined, exclusions: readonly PolicyExclusion[] | undefined): Matcher | undefined {
  const inScope = scope ? fieldMatchers(scope) : [];
  const excluded = (exclusions ?? []).map(fieldMatchers).filter((ms) => ms.length > 0);
  if (inScope.length === 0 && excluded.length === 0) return undefined;
  return (input) => {
    for (const m of inScope) if (!m(input)) return false;
    for (const ms of excluded) if (ms.every((m) => m(input))) return false;
    return true;
  };
}
