import { parseImageReference } from "@bulwark/policy";
import { z } from "zod";
import { normalizeRepository } from "../exceptions/scope.ts";
import { fingerprint } from "./fingerprint.ts";
import { falcoTechniques, tacticsFromTags } from "./mitre.ts";
import { type JsonObject, type NormalizedRuntimeEvent, parseOrThrow, validationError } from "./normalized.ts";
import { severityFromFalcoPriority } from "./severity.ts";

// Falco events in the falcosidekick webhook shape (one event or an array). Field names differ across
// Falco versions and sources (syscall, k8s_audit, the k8smeta plugin); every layout is read here.

export const FALCO_LIMITS = { events: 10_000, fields: 512, tags: 100 } as const;

const str = z.string().max(65_536);
const FieldValue = z.union([str, z.number(), z.boolean(), z.null(), z.array(z.union([str, z.number(), z.boolean(), z.null()])).max(256)]);

/** One Falco event as accepted (falcosidekick webhook shape). */
export const falcoEventSchema = z.object({
  uuid: str.nullish(),
  output: str.nullish(),
  priority: str.min(1).refine((p) => severityFromFalcoPriority(p) !== null, {
    message: "Unknown Falco priority (expected Emergency, Alert, Critical, Error, Warning, Notice, Informational or Debug)",
  }),
  rule: str.min(1).max(1_024),
  time: str.refine((t) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t) && !Number.isNaN(Date.parse(t)), { message: "Expected an RFC 3339 timestamp" }),
  output_fields: z
    .record(z.string().max(512), FieldValue)
    .refine((f) => Object.keys(f).length <= FALCO_LIMITS.fields, { message: `At most ${FALCO_LIMITS.fields} output fields` }),
  source: str.max(256).nullish(),
  tags: z.array(str.max(256)).max(FALCO_LIMITS.tags).nullish(),
  hostname: str.max(1_024).nullish(),
});
const FalcoEvent = falcoEventSchema;
type FalcoEvent = z.output<typeof FalcoEvent>;

const TIME_PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const MAX_STR = 65_536;
const isStr = (v: unknown, max = MAX_STR): v is string => typeof v === "string" && v.length <= max;
const isOptStr = (v: unknown, max = MAX_STR) => v === undefined || v === null || isStr(v, max);
const isScalar = (v: unknown) => v === null || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)) || isStr(v);

/**
 * The schema above, checked by hand for the common case: parsing runs twice per event (the API, then
 * the worker) at thousands of events a second, and zod costs several times this. It only ever says
 * yes to what the schema accepts; anything else goes through zod, which names the field at fault.
 */
export function isPlainFalcoEvent(e: unknown): e is FalcoEvent {
  if (typeof e !== "object" || e === null || Array.isArray(e)) return false;
  const o = e as Record<string, unknown>;
  if (!isStr(o.rule, 1_024) || o.rule.length === 0 || !isStr(o.priority) || o.priority.length === 0 || severityFromFalcoPriority(o.priority) === null) return false;
  if (!isStr(o.time) || !TIME_PREFIX.test(o.time) || Number.isNaN(Date.parse(o.time))) return false;
  if (!isOptStr(o.uuid) || !isOptStr(o.output) || !isOptStr(o.source, 256) || !isOptStr(o.hostname, 1_024)) return false;
  if (o.tags !== undefined && o.tags !== null) {
    if (!Array.isArray(o.tags) || o.tags.length > FALCO_LIMITS.tags || !o.tags.every((t) => isStr(t, 256))) return false;
  }
  const f = o.output_fields;
  if (typeof f !== "object" || f === null || Array.isArray(f) || Object.getPrototypeOf(f) !== Object.prototype) return false;
  const keys = Object.keys(f);
  if (keys.length > FALCO_LIMITS.fields) return false;
  for (const k of keys) {
    const v = (f as Record<string, unknown>)[k];
    if (k.length > 512) return false;
    if (Array.isArray(v) ? v.length > 256 || !v.every(isScalar) : !isScalar(v)) return false;
  }
  return true;
}

/**
 * True when a validated FALCO body (one event or an array) holds an event of a priority that maps to
 * CRITICAL (Emergency, Alert, Critical): its report is processed ahead of a backlog of routine events.
 */
export function hasCriticalFalcoEvent(body: unknown): boolean {
  const events = Array.isArray(body) ? body : [body];
  return events.some((e) => typeof e === "object" && e !== null && severityFromFalcoPriority(String((e as { priority?: unknown }).priority)) === "CRITICAL");
}

/** An event as the schema outputs it: known keys only, fields copied. */
function fromPlain(o: FalcoEvent): FalcoEvent {
  return {
    uuid: o.uuid, output: o.output, priority: o.priority, rule: o.rule, time: o.time, output_fields: { ...o.output_fields },
    source: o.source, tags: o.tags, hostname: o.hostname,
  };
}

type Fields = FalcoEvent["output_fields"];

/** Falco prints "<NA>" for fields it could not resolve; treat it like an absent field. */
function field(fields: Fields, ...names: string[]): string | null {
  for (const name of names) {
    const v = fields[name];
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
    if (typeof v !== "string") continue;
    const t = v.trim();
    if (t !== "" && t !== "<NA>" && t !== "N/A") return t;
  }
  return null;
}

// Kubernetes names random suffixes from this alphabet (no vowels, no 0/1/3): k8s.io/apimachinery rand.
const SAFE = "[bcdfghjklmnpqrstvwxz2456789]";
const DEPLOYMENT_POD = new RegExp(`^(.+)-${SAFE}{5,10}-${SAFE}{5}$`);
const GENERATED_POD = new RegExp(`^(.+)-${SAFE}{5}$`);
const STATEFUL_POD = /^(.+)-\d+$/;

/**
 * Best guess of a pod's owning workload from its name: Deployment pods ("web-7d59548d75-wh44s") →
 * "web"; DaemonSet/Job pods ("agent-x2k9p") → "agent"; StatefulSet pods ("db-0") → "db". A bare pod
 * keeps its own name. The storage step resolves the real owner against the inventory.
 */
export function workloadFromPodName(pod: string): string {
  return DEPLOYMENT_POD.exec(pod)?.[1] ?? GENERATED_POD.exec(pod)?.[1] ?? STATEFUL_POD.exec(pod)?.[1] ?? pod;
}

const WORKLOAD_RESOURCES = new Set(["deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs", "replicationcontrollers"]);

function inferSource(event: FalcoEvent): string {
  if (event.source?.trim()) return event.source.trim();
  // Falco before 0.31 sent no source; audit events are recognisable by their ka.* fields.
  return Object.keys(event.output_fields).some((k) => k.startsWith("ka.")) ? "k8s_audit" : "syscall";
}

/**
 * Small caches of what a stream of events repeats (a cluster runs a few hundred images and a few
 * dozen rules), kept across reports: emptied when full, so they stay bounded whatever arrives.
 */
function cache<V>(limit: number): (key: string, compute: () => V) => V {
  const map = new Map<string, V>();
  return (key, compute) => {
    let v = map.get(key);
    if (v === undefined && !map.has(key)) {
      if (map.size >= limit) map.clear();
      v = compute();
      map.set(key, v);
    }
    return v as V;
  };
}

/** "registry/repository" of an image, as exception scopes write it. */
const repositories = cache<string | null>(2_000);
function repositoryOf(repository: string | null, image: string | null): string | null {
  if (repository !== null) return repositories(`r:${repository}`, () => normalizeRepository(repository));
  if (image === null) return null;
  return repositories(`i:${image}`, () => {
    const parsed = parseImageReference(image);
    return parsed.ok ? `${parsed.ref.registry}/${parsed.ref.repository}` : null;
  });
}

/** Techniques and tactics of a rule and its tags. */
const mitre = cache<{ techniques: string[]; tactics: string[] }>(1_000);
const mitreOf = (rule: string, tags: string[]) =>
  mitre(JSON.stringify([rule, tags]), () => ({ techniques: falcoTechniques(rule, tags), tactics: tacticsFromTags(tags) }));

/**
 * The identity of an event for storing it once: Falco's uuid (Falco 0.33+, falcosidekick), else what
 * a re-sent copy repeats byte for byte (rule, time as sent, output, hostname).
 */
function eventKey(event: FalcoEvent): string {
  const uuid = event.uuid?.trim();
  return uuid ? fingerprint(uuid) : fingerprint(event.rule, event.time, event.output ?? "", event.hostname ?? "");
}

function normalize(event: FalcoEvent): NormalizedRuntimeEvent {
  const f = event.output_fields;
  const source = inferSource(event);
  const audit = source === "k8s_audit";
  const resource = field(f, "ka.target.resource");

  const cluster = field(f, "k8s.cluster.name", "k8smeta.cluster.name", "cluster", "cluster_name", "k8s_cluster");
  const namespace = audit
    ? field(f, "ka.target.namespace")
    : field(f, "k8s.ns.name", "k8smeta.ns.name", "k8s.pod.namespace", "kubernetes.namespace.name");
  const pod = audit
    ? resource === "pods" ? field(f, "ka.target.name") : null
    : field(f, "k8s.pod.name", "k8smeta.pod.name", "kubernetes.pod.name");
  let workload: string | null = pod ? workloadFromPodName(pod) : null;
  if (audit && !pod && resource && WORKLOAD_RESOURCES.has(resource)) {
    const name = field(f, "ka.target.name");
    workload = name ? `${resource}/${name}` : null;
  }

  const containerId = audit ? null : field(f, "container.id");
  const containerName = audit ? null : field(f, "container.name", "k8s.container.name");
  const repository = field(f, "container.image.repository");
  const tag = field(f, "container.image.tag");
  const image = repository ? (tag ? `${repository}:${tag}` : repository) : field(f, "container.image");

  const tags = [...(event.tags ?? [])];
  const { techniques, tactics } = mitreOf(event.rule, tags);
  const severity = severityFromFalcoPriority(event.priority) ?? "INFO";
  return {
    rule: event.rule,
    priority: event.priority,
    severity,
    source,
    time: new Date(event.time),
    output: event.output ?? event.rule,
    tags,
    // Copies: callers may change the arrays of one event without touching the cached ones.
    mitreTechniques: [...techniques],
    mitreTactics: [...tactics],
    cluster,
    namespace,
    pod,
    workload,
    container: containerId || containerName ? { id: containerId, name: containerName } : null,
    image,
    hostname: event.hostname?.trim() ? event.hostname.trim() : null,
    uuid: event.uuid ?? null,
    fields: f as JsonObject,
    aggregateKey: fingerprint("RUNTIME", event.rule, cluster, namespace, workload ?? pod, image),
    eventKey: eventKey(event),
    process: audit ? null : field(f, "proc.exepath", "proc.name"),
    cmdline: audit ? null : field(f, "proc.cmdline"),
    user: audit ? field(f, "ka.user.name") : field(f, "user.name"),
    imageRepository: repositoryOf(repository, image),
  };
}

/** Parses one Falco event or an array of them. Throws AppError VALIDATION_FAILED naming the field. */
export function parseFalcoEvents(json: unknown): NormalizedRuntimeEvent[] {
  if (Array.isArray(json)) {
    if (json.length === 0) throw validationError("(root)", "Expected at least one Falco event", "The events are invalid");
    if (json.length > FALCO_LIMITS.events) throw validationError("(root)", `Too many events (${json.length}; at most ${FALCO_LIMITS.events} per request)`, "The events are invalid");
    const events = json.every(isPlainFalcoEvent) ? json.map(fromPlain) : parseOrThrow(z.array(FalcoEvent), json, "The events are invalid");
    return events.map(normalize);
  }
  return [normalize(isPlainFalcoEvent(json) ? fromPlain(json) : parseOrThrow(FalcoEvent, json, "The event is invalid"))];
}
