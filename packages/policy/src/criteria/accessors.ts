import { type EvalContext, factsOf, imageRefOf } from "../engine/context.ts";
import { isObject, prop } from "../input/path.ts";
import type { ImageFacts, JsonObject } from "../types.ts";

// How each catalog field is read from a resource. Reads are defensive (manifests are untrusted): a
// value of the wrong JSON type reads as absent. Container and image fields take the container's index.

export interface FieldAccessor {
  /** The raw value, typed for the field; undefined when absent. */
  read(ctx: EvalContext, container: number): unknown;
  /** Where a violation points, from the resource root. */
  path(ctx: EvalContext, container: number): string | undefined;
}

const bool = (v: unknown) => (typeof v === "boolean" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const strList = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);

function dig(obj: unknown, keys: readonly string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    cur = prop(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Values of one key across the objects of a list, e.g. every `containerPort` of `ports`. */
function pluck(list: unknown, key: string, pick: (v: unknown) => unknown): unknown[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: unknown[] = [];
  for (const item of list) {
    const v = pick(prop(item, key));
    if (v !== undefined) out.push(v);
  }
  return out;
}

const specOf = (ctx: EvalContext, i: number): JsonObject | undefined => ctx.input.resource.containers[i]?.spec;
const containerPath = (ctx: EvalContext, i: number) => ctx.input.resource.containers[i]?.path;
const podPath = (ctx: EvalContext, rel: string) => (ctx.input.resource.podSpecPath !== undefined ? `${ctx.input.resource.podSpecPath}.${rel}` : undefined);

/** The pod template's metadata sits beside its spec: `spec.template.spec` → `spec.template.metadata`. */
function podMetadataPath(ctx: EvalContext, key: string): string | undefined {
  const specPath = ctx.input.resource.podSpecPath;
  if (specPath === undefined) return undefined;
  return specPath === "spec" ? `metadata.${key}` : `${specPath.slice(0, -"spec".length)}metadata.${key}`;
}

function container(keys: readonly string[], type: (v: unknown) => unknown): FieldAccessor {
  const rel = keys.join(".");
  return { read: (ctx, i) => type(dig(specOf(ctx, i), keys)), path: (ctx, i) => `${containerPath(ctx, i)}.${rel}` };
}

/** A securityContext field whose pod-level value applies when the container does not set it. */
function effective(keys: readonly string[], type: (v: unknown) => unknown): FieldAccessor {
  const rel = keys.join(".");
  return {
    read: (ctx, i) => type(dig(specOf(ctx, i), ["securityContext", ...keys])) ?? type(dig(ctx.input.resource.podSpec, ["securityContext", ...keys])),
    path: (ctx, i) => {
      const own = type(dig(specOf(ctx, i), ["securityContext", ...keys])) !== undefined;
      const fromPod = !own && type(dig(ctx.input.resource.podSpec, ["securityContext", ...keys])) !== undefined;
      return fromPod ? podPath(ctx, `securityContext.${rel}`) : `${containerPath(ctx, i)}.securityContext.${rel}`;
    },
  };
}

function pod(keys: readonly string[], type: (v: unknown) => unknown): FieldAccessor {
  const rel = keys.join(".");
  return { read: (ctx) => type(dig(ctx.input.resource.podSpec, keys)), path: (ctx) => podPath(ctx, rel) };
}

function imageFacts(ctx: EvalContext, i: number): ImageFacts | undefined {
  const c = ctx.input.resource.containers[i];
  return c ? factsOf(ctx.input, c.image) : undefined;
}

function image(read: (facts: ImageFacts, ctx: EvalContext) => unknown): FieldAccessor {
  return {
    read: (ctx, i) => {
      const facts = imageFacts(ctx, i);
      return facts ? read(facts, ctx) : undefined;
    },
    path: (ctx, i) => `${containerPath(ctx, i)}.image`,
  };
}

function imageRef(read: (ref: NonNullable<ReturnType<typeof imageRefOf>>) => string | undefined): FieldAccessor {
  return { read: (ctx, i) => { const ref = imageRefOf(ctx, i); return ref ? read(ref) : undefined; }, path: (ctx, i) => `${containerPath(ctx, i)}.image` };
}

const metadata = (key: string, read: (ctx: EvalContext) => unknown): FieldAccessor => ({ read: (ctx) => read(ctx), path: () => key });
const request = (read: (ctx: EvalContext) => unknown): FieldAccessor => ({ read, path: () => undefined });

/** A volume's source type is its one key besides `name` (hostPath, emptyDir, secret, …). */
function volumeTypes(podSpec: unknown): string[] | undefined {
  const volumes = prop(podSpec, "volumes");
  if (!Array.isArray(volumes)) return undefined;
  const out: string[] = [];
  for (const v of volumes) if (isObject(v)) for (const k of Object.keys(v)) if (k !== "name") out.push(k);
  return out;
}

function hoursSince(iso: string | undefined, now: string): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(now) - Date.parse(iso);
  return Number.isFinite(ms) ? ms / 3_600_000 : undefined;
}

export const ACCESSORS: Readonly<Record<string, FieldAccessor>> = {
  "resource.kind": metadata("kind", (ctx) => ctx.input.resource.kind || undefined),
  "resource.apiVersion": metadata("apiVersion", (ctx) => ctx.input.resource.apiVersion || undefined),
  "resource.name": metadata("metadata.name", (ctx) => ctx.input.resource.name || undefined),
  "resource.namespace": metadata("metadata.namespace", (ctx) => ctx.input.resource.namespace),
  // The cluster is not written in the manifest: nothing to point at.
  "resource.cluster": { read: (ctx) => ctx.input.cluster, path: () => undefined },
  "resource.labels": metadata("metadata.labels", (ctx) => ctx.input.resource.labels),
  "resource.annotations": metadata("metadata.annotations", (ctx) => ctx.input.resource.annotations),

  "pod.labels": { read: (ctx) => ctx.input.resource.podMetadata?.labels, path: (ctx) => podMetadataPath(ctx, "labels") },
  "pod.annotations": { read: (ctx) => ctx.input.resource.podMetadata?.annotations, path: (ctx) => podMetadataPath(ctx, "annotations") },
  "pod.hostNetwork": pod(["hostNetwork"], bool),
  "pod.hostPID": pod(["hostPID"], bool),
  "pod.hostIPC": pod(["hostIPC"], bool),
  "pod.shareProcessNamespace": pod(["shareProcessNamespace"], bool),
  "pod.serviceAccountName": {
    // `serviceAccount` is the deprecated spelling the API server still honours.
    read: (ctx) => str(prop(ctx.input.resource.podSpec, "serviceAccountName")) ?? str(prop(ctx.input.resource.podSpec, "serviceAccount")),
    path: (ctx) => podPath(ctx, "serviceAccountName"),
  },
  "pod.automountServiceAccountToken": pod(["automountServiceAccountToken"], bool),
  "pod.securityContext.runAsNonRoot": pod(["securityContext", "runAsNonRoot"], bool),
  "pod.securityContext.runAsUser": pod(["securityContext", "runAsUser"], num),
  "pod.securityContext.runAsGroup": pod(["securityContext", "runAsGroup"], num),
  "pod.securityContext.fsGroup": pod(["securityContext", "fsGroup"], num),
  "pod.securityContext.seccompProfile.type": pod(["securityContext", "seccompProfile", "type"], str),
  "pod.volumes.types": { read: (ctx) => volumeTypes(ctx.input.resource.podSpec), path: (ctx) => podPath(ctx, "volumes") },
  "pod.volumes.hostPath.paths": {
    read: (ctx) => pluck(prop(ctx.input.resource.podSpec, "volumes"), "hostPath", (h) => str(prop(h, "path"))),
    path: (ctx) => podPath(ctx, "volumes"),
  },
  "pod.priorityClassName": pod(["priorityClassName"], str),
  "pod.runtimeClassName": pod(["runtimeClassName"], str),

  "container.name": container(["name"], str),
  "container.kind": { read: (ctx, i) => ctx.input.resource.containers[i]?.kind, path: containerPath },
  "container.image": container(["image"], str),
  "container.image.registry": imageRef((r) => r.registry),
  "container.image.repository": imageRef((r) => r.repository),
  // Docker pulls `latest` when a reference has neither tag nor digest.
  "container.image.tag": imageRef((r) => r.tag ?? (r.digest ? undefined : "latest")),
  "container.image.digest": imageRef((r) => r.digest),
  "container.imagePullPolicy": container(["imagePullPolicy"], str),
  "container.securityContext.privileged": container(["securityContext", "privileged"], bool),
  "container.securityContext.allowPrivilegeEscalation": container(["securityContext", "allowPrivilegeEscalation"], bool),
  "container.securityContext.readOnlyRootFilesystem": container(["securityContext", "readOnlyRootFilesystem"], bool),
  "container.securityContext.runAsNonRoot": effective(["runAsNonRoot"], bool),
  "container.securityContext.runAsUser": effective(["runAsUser"], num),
  "container.securityContext.runAsGroup": effective(["runAsGroup"], num),
  "container.securityContext.seccompProfile.type": effective(["seccompProfile", "type"], str),
  "container.securityContext.procMount": container(["securityContext", "procMount"], str),
  "container.capabilities.add": container(["securityContext", "capabilities", "add"], strList),
  "container.capabilities.drop": container(["securityContext", "capabilities", "drop"], strList),
  "container.ports.containerPort": { read: (ctx, i) => pluck(prop(specOf(ctx, i), "ports"), "containerPort", num), path: (ctx, i) => `${containerPath(ctx, i)}.ports` },
  "container.ports.hostPort": { read: (ctx, i) => pluck(prop(specOf(ctx, i), "ports"), "hostPort", num), path: (ctx, i) => `${containerPath(ctx, i)}.ports` },
  "container.env.names": { read: (ctx, i) => pluck(prop(specOf(ctx, i), "env"), "name", str), path: (ctx, i) => `${containerPath(ctx, i)}.env` },
  "container.volumeMounts.paths": { read: (ctx, i) => pluck(prop(specOf(ctx, i), "volumeMounts"), "mountPath", str), path: (ctx, i) => `${containerPath(ctx, i)}.volumeMounts` },
  "container.resources.limits.cpu": container(["resources", "limits", "cpu"], quantity),
  "container.resources.limits.memory": container(["resources", "limits", "memory"], quantity),
  "container.resources.requests.cpu": container(["resources", "requests", "cpu"], quantity),
  "container.resources.requests.memory": container(["resources", "requests", "memory"], quantity),
  "container.livenessProbe": container(["livenessProbe"], (v) => (isObject(v) ? v : undefined)),
  "container.readinessProbe": container(["readinessProbe"], (v) => (isObject(v) ? v : undefined)),

  "image.scanned": { read: (ctx, i) => imageFacts(ctx, i) !== undefined, path: (ctx, i) => `${containerPath(ctx, i)}.image` },
  "image.registry": { ...image((f) => f.registry), read: (ctx, i) => { const facts = imageFacts(ctx, i); return facts ? (facts.registry ?? imageRefOf(ctx, i)?.registry) : undefined; } },
  "image.vulnerabilities.critical": image((f) => num(f.vulnerabilities?.critical)),
  "image.vulnerabilities.high": image((f) => num(f.vulnerabilities?.high)),
  "image.vulnerabilities.medium": image((f) => num(f.vulnerabilities?.medium)),
  "image.vulnerabilities.low": image((f) => num(f.vulnerabilities?.low)),
  "image.vulnerabilities.fixableCritical": image((f) => num(f.vulnerabilities?.fixableCritical)),
  "image.vulnerabilities.fixableHigh": image((f) => num(f.vulnerabilities?.fixableHigh)),
  "image.vulnerabilities.ids": image((f) => strList(f.vulnerabilities?.ids)),
  "image.malware.detected": image((f) => bool(f.malware?.detected)),
  "image.malware.signatures": image((f) => strList(f.malware?.signatures)),
  "image.signature.verified": image((f) => bool(f.signature?.verified)),
  "image.signature.signer": image((f) => str(f.signature?.signer)),
  "image.scanAgeHours": image((f, ctx) => hoursSince(f.scannedAt, ctx.input.settings.now)),

  "request.operation": request((ctx) => ctx.input.request?.operation),
  "request.userInfo.username": request((ctx) => str(ctx.input.request?.userInfo?.username)),
  "request.userInfo.groups": request((ctx) => strList(ctx.input.request?.userInfo?.groups)),
  "request.dryRun": request((ctx) => bool(ctx.input.request?.dryRun)),
};

/** Quantities are strings in manifests but often written as numbers (`cpu: 1`). */
function quantity(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}
