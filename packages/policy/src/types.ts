// The policy engine's data contract: what goes in (normalized resources, image facts, admission
// request, org settings) and what comes out (violations). Plain data only, so the same engine runs in
// the worker, at an enforcement point and in a CI pipeline without any I/O.

export type Severity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFO";
export type LifecycleStage = "BUILD" | "DEPLOY" | "RUNTIME";
export type EnforcementMode = "AUDIT" | "WARN" | "ENFORCE";
export type ContainerKind = "container" | "initContainer" | "ephemeralContainer";

/** A JSON object as found in a manifest; fields are read defensively because inputs are untrusted. */
export type JsonObject = Record<string, unknown>;

/** One container of a pod spec, with the JSON path a violation points at. */
export interface ContainerRef {
  name: string;
  kind: ContainerKind;
  /** The container object exactly as in the manifest. */
  spec: JsonObject;
  /** Dotted/indexed path from the resource root, e.g. `spec.template.spec.containers[0]`. */
  path: string;
  /** Image reference as written (may be empty when missing). */
  image: string;
}

/**
 * A Kubernetes resource ready for evaluation. Pod-bearing kinds (Pod, Deployment, ReplicaSet,
 * StatefulSet, DaemonSet, Job, CronJob, ReplicationController, PodTemplate) carry their pod spec;
 * other kinds (Service, Namespace, …) have `podSpec` undefined and no containers.
 */
export interface Resource {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The whole object as given (what CEL sees as `object`). */
  object: JsonObject;
  /** The pod spec, when the kind bears one. */
  podSpec?: JsonObject;
  /** Path of the pod spec from the root, e.g. `spec.jobTemplate.spec.template.spec`. */
  podSpecPath?: string;
  /** Pod (template) metadata: labels/annotations of the pods this resource creates. */
  podMetadata?: { labels: Record<string, string>; annotations: Record<string, string> };
  /** Regular, then init, then ephemeral containers. */
  containers: ContainerRef[];
}

/** What scanners and registries know about one image (by reference or digest). */
export interface ImageFacts {
  /** Full reference, e.g. `ghcr.io/acme/api@sha256:…` or `nginx:1.27`. */
  ref: string;
  digest?: string;
  registry?: string;
  /** ISO time of the most recent vulnerability scan, when any. */
  scannedAt?: string;
  vulnerabilities: {
    critical: number;
    high: number;
    medium: number;
    low: number;
    /** Critical vulnerabilities with a fixed version available. */
    fixableCritical: number;
    fixableHigh: number;
    /** CVE ids (optional detail, for messages and CEL rules). */
    ids?: string[];
  };
  malware: { detected: boolean; signatures: string[] };
  signature: { verified: boolean; signer?: string };
}

/** The admission request around a resource, when evaluated at an enforcement point. */
export interface AdmissionRequestInfo {
  operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  userInfo: { username: string; groups: string[]; uid?: string };
  namespace?: string;
  dryRun?: boolean;
}

/** Per-organization settings some built-ins need. */
export interface EvaluationSettings {
  /** Registry hosts (port included when not default), e.g. `ghcr.io`, `registry.acme.internal:5000`. */
  trustedRegistries: string[];
  /**
   * Who may deploy where (T1610). `namespace` is a name or `*`; `subjects` are usernames
   * (`system:serviceaccount:ns:name` for service accounts) or `group:<name>`.
   */
  allowedDeployers: { namespace: string; subjects: string[] }[];
  /** A scan older than this makes `image-scanned-recently` fail. */
  maxScanAgeHours: number;
  /** Evaluation time (ISO), passed in so results are reproducible. */
  now: string;
}

/** Everything a check can look at. */
export interface EvaluationInput {
  resource: Resource;
  /** Image facts by the reference written in the container (`ContainerRef.image`). */
  images: Record<string, ImageFacts>;
  request?: AdmissionRequestInfo;
  cluster?: string;
  settings: EvaluationSettings;
}

export interface Violation {
  message: string;
  container?: string;
  /** Path from the resource root, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  path?: string;
  /** What was found, secrets already masked. Never a clear secret value. */
  evidence?: string;
}

/** The five threats Bulwark exists for (insecure configuration includes exposed ports and hard-coded secrets). */
export type ThreatId =
  | "unauthorized-deployment"
  | "insecure-configuration"
  | "malware"
  | "privilege-escalation"
  | "unpatched-vulnerabilities";

/** The descriptive part every policy has, built-in or custom. */
export interface PolicyMetadata {
  /** Stable id, part of the API (bundles, exceptions, findings): lower-kebab-case. */
  id: string;
  name: string;
  description: string;
  rationale: string;
  remediation: string;
  severity: Severity;
  category: string;
  stages: LifecycleStage[];
  /** Default enforcement mode; an org may change it. */
  enforcement: EnforcementMode;
  /** MITRE ATT&CK technique ids, e.g. `T1610`, `T1611`. */
  mitre: string[];
  threats: ThreatId[];
}

/**
 * A built-in policy: metadata plus a native check. Built-ins are straight-line TypeScript rather than
 * CEL so that every workload can be judged by all of them at tens of thousands of workloads per second.
 * A check returns no violations for resources it does not apply to (e.g. a Service for a pod check).
 */
export interface BuiltinPolicy extends PolicyMetadata {
  check(input: EvaluationInput): Violation[];
}
