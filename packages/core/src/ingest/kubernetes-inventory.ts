import { z } from "zod";
import { AppError, type FieldError } from "../errors.ts";
import { type ImageRef, ImageRefError, parseImageId, parseImageRef } from "./image-ref.ts";
import { cmp, guessProvider, majorityVersion, toNode } from "./kubernetes-cluster-facts.ts";
import { markExposure, type WorkloadExposure } from "./kubernetes-exposure.ts";
import {
  type InventoryContainer,
  type InventoryContainerType,
  type InventoryNamespace,
  type InventoryNode,
  type InventoryService,
  type InventorySnapshot,
  type InventoryStats,
  type InventoryWorkload,
  WORKLOAD_KINDS,
  type WorkloadKind,
} from "./kubernetes-inventory-model.ts";
import { type AnyParsed, type containerSchema, KIND_GROUPS, KIND_SCHEMAS, type KnownKind, type Parsed, type podSpecSchema } from "./kubernetes-schema.ts";

// Reads what `kubectl get ns,pods,deploy,rs,sts,ds,jobs,cronjobs,svc,nodes -A -o json` prints and
// reduces it to the inventory Bulwark stores: namespaces, top-level workloads with their containers and
// the digests their pods actually run, services, nodes and a few cluster facts. Pure: no I/O.

export const MAX_INVENTORY_ITEMS = 200_000;
const MAX_FIELD_ERRORS = 100;
// Owner chains are two or three links in practice; the bound only stops a crafted cycle or chain.
const MAX_OWNER_DEPTH = 16;

export * from "./kubernetes-inventory-model.ts";


const envelope = z.looseObject({ kind: z.string().endsWith("List").optional(), items: z.array(z.unknown()).max(MAX_INVENTORY_ITEMS) });
const itemHead = z.looseObject({ apiVersion: z.string().max(253).optional(), kind: z.string().min(1).max(253) });

/** Parses a Kubernetes List into an inventory snapshot. Throws AppError VALIDATION_FAILED naming field paths. */
export function parseInventory(json: unknown): InventorySnapshot {
  const env = envelope.safeParse(json);
  if (!env.success) throw AppError.fromZod(env.error, "The inventory is not a Kubernetes List");

  const errors: FieldError[] = [];
  const addIssues = (prefix: (string | number)[], err: z.ZodError) => {
    for (const issue of err.issues) {
      if (errors.length >= MAX_FIELD_ERRORS) return;
      errors.push({ path: [...prefix, ...issue.path.map(String)].join("."), message: issue.message });
    }
  };
  const stats: InventoryStats = { items: env.data.items.length, byKind: {}, ignoredKinds: {}, deleting: 0, unmatchedStatuses: 0 };
  const parsed: (AnyParsed & { index: number })[] = [];

  env.data.items.forEach((raw, index) => {
    if (errors.length >= MAX_FIELD_ERRORS) return;
    const head = itemHead.safeParse(raw);
    if (!head.success) return addIssues(["items", index], head.error);
    const { kind, apiVersion } = head.data;
    const group = apiVersion?.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
    if (!Object.hasOwn(KIND_SCHEMAS, kind) || (apiVersion !== undefined && !KIND_GROUPS[kind as KnownKind].includes(group))) {
      const key = group ? `${kind}.${group}` : kind;
      stats.ignoredKinds[key] = (stats.ignoredKinds[key] ?? 0) + 1;
      return;
    }
    const known = kind as KnownKind;
    const result = KIND_SCHEMAS[known].safeParse(raw);
    if (!result.success) return addIssues(["items", index], result.error);
    stats.byKind[known] = (stats.byKind[known] ?? 0) + 1;
    if (result.data.metadata.deletionTimestamp) stats.deleting++;
    parsed.push({ kind: known, obj: result.data, index } as AnyParsed & { index: number });
  });

  // Two objects with one identity would later collide on the same row; say which.
  const seen = new Map<string, number>();
  for (const p of parsed) {
    const key = `${p.kind}/${p.obj.metadata.namespace ?? ""}/${p.obj.metadata.name}`;
    const first = seen.get(key);
    if (first !== undefined && errors.length < MAX_FIELD_ERRORS) {
      errors.push({ path: `items.${p.index}.metadata.name`, message: `Duplicate ${p.kind} (same as items.${first})` });
    }
    seen.set(key, first ?? p.index);
  }
  if (errors.length > 0) throw new AppError("VALIDATION_FAILED", "The inventory is invalid", { fields: errors });

  return buildSnapshot(parsed, stats);
}

type WorkloadObj = Parsed<WorkloadKind>;
interface Rec {
  kind: WorkloadKind;
  obj: WorkloadObj;
  top?: Rec;
  workload?: InventoryWorkload;
}

function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

function buildSnapshot(parsed: AnyParsed[], stats: InventoryStats): InventorySnapshot {
  const namespaces = new Map<string, InventoryNamespace>();
  const services: InventoryService[] = [];
  const nodes: InventoryNode[] = [];
  const recs: Rec[] = [];
  const byUid = new Map<string, Rec>();
  const byKey = new Map<string, Rec>();

  for (const p of parsed) {
    const md = p.obj.metadata;
    if (p.kind === "Namespace") {
      namespaces.set(md.name, { name: md.name, uid: md.uid ?? null, labels: md.labels ?? {}, declared: true, deleting: !!md.deletionTimestamp });
    } else if (p.kind === "Node") {
      nodes.push(toNode(p.obj));
    } else if (p.kind === "Service") {
      services.push(toService(p.obj));
    } else {
      const rec: Rec = { kind: p.kind, obj: p.obj };
      recs.push(rec);
      if (md.uid) byUid.set(md.uid, rec);
      byKey.set(`${p.kind}/${md.namespace ?? ""}/${md.name}`, rec);
    }
  }

  const controllerOf = (obj: WorkloadObj) => obj.metadata.ownerReferences?.find((r) => r.controller === true) ?? null;
  const ownerRec = (rec: Rec): Rec | null => {
    const ref = controllerOf(rec.obj);
    if (!ref) return null;
    const ns = rec.obj.metadata.namespace;
    const hit = (ref.uid ? byUid.get(ref.uid) : undefined) ?? (isWorkloadKind(ref.kind) ? byKey.get(`${ref.kind}/${ns}/${ref.name}`) : undefined);
    return hit && hit.obj.metadata.namespace === ns && hit.kind === ref.kind ? hit : null;
  };
  const topOf = (rec: Rec): Rec => {
    if (rec.top) return rec.top;
    let cur = rec;
    const visited = new Set<Rec>([cur]);
    for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
      const next = ownerRec(cur);
      if (!next) break;
      // A crafted ownership cycle has no top; each object in it then stands for itself.
      if (visited.has(next)) {
        cur = rec;
        break;
      }
      visited.add(next);
      cur = next;
    }
    rec.top = cur;
    return cur;
  };

  const sortedRecs = [...recs].sort((a, b) => cmp(a.obj.metadata.namespace, b.obj.metadata.namespace) || cmp(a.kind, b.kind) || cmp(a.obj.metadata.name, b.obj.metadata.name));
  const workloads: InventoryWorkload[] = [];
  for (const rec of sortedRecs) {
    if (topOf(rec) !== rec) continue;
    const ref = controllerOf(rec.obj);
    rec.workload = toWorkload(rec, ref ? { kind: ref.kind, name: ref.name } : null);
    workloads.push(rec.workload);
  }

  // Pods tell which digests a workload really runs, and carry ephemeral (debug) containers templates never have.
  const collected = new Map<InventoryContainer, { digests: Set<string>; local: Set<string> }>();
  for (const rec of sortedRecs) {
    if (rec.kind !== "Pod") continue;
    const pod = rec.obj as Parsed<"Pod">;
    const workload = topOf(rec).workload;
    if (!workload) continue;
    if (topOf(rec) !== rec) workload.podCount++;
    const byName = new Map(workload.containers.map((c) => [c.name, c]));
    for (const spec of pod.spec.ephemeralContainers ?? []) {
      if (byName.has(spec.name)) continue;
      const c = toContainer(spec, "EPHEMERAL");
      workload.containers.push(c);
      byName.set(c.name, c);
    }
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
    for (const status of statuses) {
      const info = status.imageID ? parseImageId(status.imageID) : null;
      if (!info) continue;
      const c = byName.get(status.name);
      if (!c) {
        stats.unmatchedStatuses++;
        continue;
      }
      const sets = collected.get(c) ?? { digests: new Set<string>(), local: new Set<string>() };
      collected.set(c, sets);
      (info.kind === "repo" ? sets.digests : sets.local).add(info.digest);
    }
  }
  for (const [c, sets] of collected) {
    c.digests = [...sets.digests].sort(cmp);
    c.localImageIds = [...sets.local].sort(cmp);
  }

  for (const w of workloads) {
    if (!namespaces.has(w.namespace)) namespaces.set(w.namespace, { name: w.namespace, uid: null, labels: {}, declared: false, deleting: false });
  }
  for (const s of services) {
    if (!namespaces.has(s.namespace)) namespaces.set(s.namespace, { name: s.namespace, uid: null, labels: {}, declared: false, deleting: false });
  }
  markExposure(workloads, services);

  return {
    cluster: { kubernetesVersion: majorityVersion(nodes), provider: guessProvider(nodes) },
    namespaces: [...namespaces.values()].sort((a, b) => cmp(a.name, b.name)),
    workloads,
    services: services.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name)),
    nodes: nodes.sort((a, b) => cmp(a.name, b.name)),
    stats,
  };
}

function toWorkload(rec: Rec, owner: { kind: string; name: string } | null): InventoryWorkload {
  const md = rec.obj.metadata;
  let spec: z.infer<typeof podSpecSchema>;
  let replicas: number | null;
  let podLabels: Record<string, string> | null | undefined;
  if (rec.kind === "Pod") {
    spec = (rec.obj as Parsed<"Pod">).spec;
    podLabels = md.labels;
    replicas = 1;
  } else if (rec.kind === "CronJob") {
    const t = (rec.obj as Parsed<"CronJob">).spec.jobTemplate.spec.template;
    spec = t.spec;
    podLabels = t.metadata?.labels;
    replicas = null;
  } else if (rec.kind === "DaemonSet") {
    const ds = rec.obj as Parsed<"DaemonSet">;
    spec = ds.spec.template.spec;
    podLabels = ds.spec.template.metadata?.labels;
    replicas = ds.status?.desiredNumberScheduled ?? null;
  } else if (rec.kind === "Job") {
    const job = rec.obj as Parsed<"Job">;
    spec = job.spec.template.spec;
    podLabels = job.spec.template.metadata?.labels;
    replicas = job.spec.parallelism ?? null;
  } else {
    const r = rec.obj as Parsed<"Deployment">;
    spec = r.spec.template.spec;
    podLabels = r.spec.template.metadata?.labels;
    replicas = r.spec.replicas ?? 1; // the API server defaults an omitted count to 1
  }
  return {
    kind: rec.kind,
    namespace: md.namespace ?? "",
    name: md.name,
    uid: md.uid ?? null,
    labels: md.labels ?? {},
    annotations: md.annotations ?? {},
    podSpec: spec,
    podLabels: podLabels ?? {},
    exposedBy: [],
    replicas,
    ownerKind: owner?.kind ?? null,
    ownerName: owner?.name ?? null,
    createdAt: isoTime(md.creationTimestamp),
    deleting: !!md.deletionTimestamp,
    podCount: rec.kind === "Pod" ? 1 : 0,
    containers: [
      ...(spec.initContainers ?? []).map((c) => toContainer(c, "INIT")),
      ...spec.containers.map((c) => toContainer(c, "REGULAR")),
      ...(spec.ephemeralContainers ?? []).map((c) => toContainer(c, "EPHEMERAL")),
    ],
  };
}

function toContainer(c: z.infer<typeof containerSchema>, type: InventoryContainerType): InventoryContainer {
  let image: ImageRef | null = null;
  let imageError: string | null = null;
  try {
    image = parseImageRef(c.image);
  } catch (err) {
    if (!(err instanceof ImageRefError)) throw err;
    imageError = err.message;
  }
  return {
    name: c.name,
    type,
    imageRef: c.image,
    image,
    imageError,
    securityContext: c.securityContext ?? {},
    ports: (c.ports ?? []).map((p) => ({ containerPort: p.containerPort, name: p.name ?? null, protocol: p.protocol ?? "TCP", hostPort: p.hostPort ?? null })),
    digests: [],
    localImageIds: [],
  };
}

function toService(svc: Parsed<"Service">): InventoryService {
  return {
    namespace: svc.metadata.namespace,
    name: svc.metadata.name,
    uid: svc.metadata.uid ?? null,
    type: svc.spec.type ?? "ClusterIP",
    clusterIP: svc.spec.clusterIP ?? null,
    externalIPs: svc.spec.externalIPs?.length ?? 0,
    ports: (svc.spec.ports ?? []).map((p) => ({
      name: p.name ?? null,
      protocol: p.protocol ?? "TCP",
      port: p.port,
      targetPort: p.targetPort ?? null,
      nodePort: p.nodePort ?? null,
    })),
    selector: svc.spec.selector ?? null,
    labels: svc.metadata.labels ?? {},
  };
}

/** A Kubernetes timestamp (RFC 3339) as ISO 8601, or null when absent or not a time. */
function isoTime(v: string | null | undefined): string | null {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export { type WorkloadExposure };
