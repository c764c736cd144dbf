import { z } from "zod";
import type { EvaluationInput, Violation } from "../types.ts";
import type { PolicyResult, WaivedViolation } from "./results.ts";
import { compileNamePatterns, namespaceOf } from "./scope.ts";

// Exceptions waive violations an admin has accepted: "this DaemonSet may run privileged", "this image
// until its fix ships". Every field an exception sets must match (names and images may use `*`);
// an exception past its expiresAt (compared with settings.now, never the clock) waives nothing.

export const policyExceptionSchema = z.strictObject({
  id: z.string().min(1).max(200).optional(),
  /** A policy id, or `*` for every policy. */
  policyId: z.string().min(1).max(100),
  cluster: z.string().min(1).max(253).optional(),
  namespace: z.string().min(1).max(253).optional(),
  kind: z.string().min(1).max(100).optional(),
  resourceName: z.string().min(1).max(253).optional(),
  container: z.string().min(1).max(253).optional(),
  /** The container's image reference as written, e.g. `ghcr.io/acme/api:1.2` or `ghcr.io/acme/*`. */
  image: z.string().min(1).max(1000).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  reason: z.string().max(2000).optional(),
});

export type PolicyException = z.infer<typeof policyExceptionSchema>;

interface CompiledException {
  label: string;
  policyId: string;
  expiresAt: number | undefined;
  resource: ((input: EvaluationInput) => boolean)[];
  container: ((name: string | undefined) => boolean) | undefined;
  image: ((image: string | undefined) => boolean) | undefined;
}

const one = (pattern: string | undefined) => (pattern === undefined ? undefined : compileNamePatterns([pattern]));

function compileException(ex: PolicyException, index: number): CompiledException {
  const resource: ((input: EvaluationInput) => boolean)[] = [];
  const cluster = one(ex.cluster);
  const namespace = one(ex.namespace);
  const kind = one(ex.kind);
  const name = one(ex.resourceName);
  if (cluster) resource.push((input) => cluster(input.cluster));
  if (namespace) resource.push((input) => namespace(namespaceOf(input)));
  if (kind) resource.push((input) => kind(input.resource.kind));
  if (name) resource.push((input) => name(input.resource.name));
  return {
    label: ex.id ?? `#${index}`,
    policyId: ex.policyId,
    expiresAt: ex.expiresAt !== undefined ? Date.parse(ex.expiresAt) : undefined,
    resource,
    container: one(ex.container),
    image: one(ex.image),
  };
}

// Callers pass the same exception list for thousands of resources: compile it once per list.
const compiledLists = new WeakMap<readonly PolicyException[], CompiledException[]>();

function compiled(exceptions: readonly PolicyException[]): CompiledException[] {
  let list = compiledLists.get(exceptions);
  if (!list) {
    list = exceptions.map(compileException);
    compiledLists.set(exceptions, list);
  }
  return list;
}

function imageOf(input: EvaluationInput, container: string | undefined): string | undefined {
  if (container === undefined) return undefined;
  return input.resource.containers.find((c) => c.name === container)?.image;
}

function waiverFor(candidates: readonly CompiledException[], violation: Violation, input: EvaluationInput): string | undefined {
  for (const ex of candidates) {
    if (ex.container && !ex.container(violation.container)) continue;
    if (ex.image && !ex.image(imageOf(input, violation.container))) continue;
    return ex.label;
  }
  return undefined;
}

/**
 * Moves the violations that an active exception covers from `violations` to `waived`; a result left
 * without violations passes. Error results are kept as they are: an exception waives findings, not
 * a policy that could not run.
 */
export function applyExceptions(results: readonly PolicyResult[], exceptions: readonly PolicyException[], input: EvaluationInput): PolicyResult[] {
  if (exceptions.length === 0) return [...results];
  const now = Date.parse(input.settings.now);
  // An unreadable `now` cannot prove an exception is still valid: expiring ones then waive nothing.
  const active = compiled(exceptions).filter((ex) => (ex.expiresAt === undefined || (Number.isFinite(now) && ex.expiresAt > now)) && ex.resource.every((m) => m(input)));
  if (active.length === 0) return [...results];
  return results.map((result) => {
    if (result.status !== "fail") return result;
    const candidates = active.filter((ex) => ex.policyId === "*" || ex.policyId === result.policyId);
    if (candidates.length === 0) return result;
    const violations: typeof result.violations = [];
    const waived: WaivedViolation[] = [...(result.waived ?? [])];
    for (const v of result.violations) {
      const by = waiverFor(candidates, v, input);
      if (by === undefined) violations.push(v);
      else waived.push({ ...v, exception: by });
    }
    if (waived.length === (result.waived?.length ?? 0)) return result;
    const passed = violations.length === 0;
    return { ...result, status: passed ? "pass" : "fail", passed, violations, waived };
  });
}
