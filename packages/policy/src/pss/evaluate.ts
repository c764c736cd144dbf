import type { JsonObject, Resource } from "../types.ts";
import { stringMap } from "../input/path.ts";
import { podContainers } from "./helpers.ts";
import { type PssCheckId, type PssLevel, PSS_LATEST_MINOR, activeChecks } from "./registry.ts";

// Evaluates a pod (or the pod template of a workload) against a Pod Security Standards level at a
// policy version, with the results k8s.io/pod-security-admission would give.

export interface PssFailedCheck {
  /** Kubernetes check id, e.g. `runAsNonRoot`, `capabilities_restricted`. */
  id: PssCheckId;
  /** Upstream's short reason, e.g. `privileged`, `host namespaces`. */
  reason: string;
  /** Which fields and values caused it, e.g. `container "app" must not set securityContext.privileged=true`. */
  detail: string;
}

export interface PssResult {
  allowed: boolean;
  level: PssLevel;
  /** The policy version actually applied, e.g. `v1.37` (`latest` and newer versions resolve to the newest known). */
  version: string;
  /** False when the resource bears no pod spec: nothing was checked. */
  applicable: boolean;
  failedChecks: PssFailedCheck[];
}

/** A bare pod: metadata (annotations matter for AppArmor and old seccomp) plus its spec. */
export interface PssPod {
  podMetadata?: { annotations?: Record<string, string> };
  podSpec: JsonObject;
}

export const PSS_LEVELS: readonly PssLevel[] = ["baseline", "restricted"];

export function isPssLevel(value: string): value is PssLevel {
  return value === "baseline" || value === "restricted";
}

/**
 * `latest` or `v1.N` → the minor version to apply (clamped to the newest known), undefined when
 * malformed. Same grammar as upstream's api.ParseVersion.
 */
export function parsePssVersion(value: string): number | undefined {
  if (value === "latest") return PSS_LATEST_MINOR;
  const m = /^v1\.(0|[1-9]\d{0,8})$/.exec(value);
  if (!m) return undefined;
  return Math.min(Number(m[1]), PSS_LATEST_MINOR);
}

function isResource(target: Resource | PssPod): target is Resource {
  return "object" in target && "containers" in target;
}

/**
 * Throws a RangeError for an unknown level or malformed version (caller bugs or unchecked user
 * input); never for anything in the manifest, which is read defensively.
 */
export function evaluatePss(target: Resource | PssPod, level: PssLevel, version = "latest"): PssResult {
  if (!isPssLevel(level)) throw new RangeError(`unknown Pod Security Standards level: ${String(level)}`);
  const minor = parsePssVersion(version);
  if (minor === undefined) throw new RangeError(`invalid Pod Security Standards version: ${version} (expected latest or v1.N)`);
  const resolved = `v1.${minor}`;
  const spec = target.podSpec;
  if (!spec) return { allowed: true, level, version: resolved, applicable: false, failedChecks: [] };
  // A Resource's annotations are already string-only; a bare pod's come from the caller as-is.
  const annotations = isResource(target) ? (target.podMetadata?.annotations ?? {}) : stringMap(target.podMetadata?.annotations);
  const pod = { spec, annotations, containers: podContainers(spec) };
  const failedChecks: PssFailedCheck[] = [];
  for (const c of activeChecks(level, minor)) {
    const failure = c.check(pod);
    if (failure) failedChecks.push({ id: c.id, ...failure });
  }
  return { allowed: failedChecks.length === 0, level, version: resolved, applicable: true, failedChecks };
}
