import type { JsonObject } from "../types.ts";
import { arrayAt, isObject, objectAt, prop, stringAt } from "../input/path.ts";

// Shared plumbing for the Pod Security Standards checks, mirroring the helpers of
// k8s.io/pod-security-admission/policy (visitContainers, pluralize, joinQuote) so that reasons and
// details read exactly like the API server's.

/** What a check sees: the pod (template) annotations and its spec, as found in the manifest. */
export interface PodView {
  annotations: Record<string, string>;
  spec: JsonObject;
  /** podContainers(spec), computed once per evaluation rather than once per check. */
  containers: readonly ContainerView[];
}

/** A failed check; passing checks return undefined. */
export interface CheckFailure {
  reason: string;
  detail: string;
}

export type CheckFn = (pod: PodView) => CheckFailure | undefined;

export interface ContainerView {
  name: string;
  securityContext: JsonObject | undefined;
  spec: JsonObject;
}

/**
 * Init containers, then containers, then ephemeral containers: upstream's visiting order, which
 * decides the order of names in details. Non-object entries are skipped (the API would reject them).
 */
export function podContainers(spec: JsonObject): ContainerView[] {
  const out: ContainerView[] = [];
  for (const field of ["initContainers", "containers", "ephemeralContainers"]) {
    for (const c of arrayAt(spec, field) ?? []) {
      if (!isObject(c)) continue;
      out.push({ name: stringAt(c, "name") ?? "", securityContext: objectAt(c, "securityContext"), spec: c });
    }
  }
  return out;
}

export function podSecurityContext(spec: JsonObject): JsonObject | undefined {
  return objectAt(spec, "securityContext");
}

/** `true` only for a JSON boolean true: Kubernetes rejects "true" strings, so they never take effect. */
export function isTrue(value: unknown): boolean {
  return value === true;
}

/** A pointer field is "set" in Go when present and not null. */
export function isSet(obj: unknown, key: string): boolean {
  const v = prop(obj, key);
  return v !== undefined && v !== null;
}

/** String field as Go would see it: "" when absent (or of a type the API would reject). */
export function str(obj: unknown, key: string): string {
  return stringAt(obj, key) ?? "";
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? "" : `"${items.join('", "')}"`;
}

/** `container "a"` / `containers "a", "b"`. */
export function containerList(names: readonly string[]): string {
  return `${pluralize("container", "containers", names.length)} ${joinQuote(names)}`;
}

/** Sorted, de-duplicated, like Go's sets.String.List(). */
export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** pod.spec.os.name == "windows": the 1.25+ restricted checks exempt such pods. */
export function isWindowsPod(spec: JsonObject): boolean {
  return stringAt(objectAt(spec, "os"), "name") === "windows";
}

/** hostUsers: false (a user-namespaced pod): the 1.35+ relaxations apply. */
export function inUserNamespace(spec: JsonObject): boolean {
  return prop(spec, "hostUsers") === false;
}

/** Go-style %q for the values quoted in annotation details. */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}
