import type { Operator } from "../model/schema.ts";

// The field catalog: every field a criteria condition can test, as plain data (the dashboard builds
// its policy form from it, docs/policies.md lists it). How each field is read lives in accessors.ts;
// a test keeps the two in step.

export type FieldType = "string" | "number" | "boolean" | "string[]" | "number[]" | "map" | "object";
/**
 * What a field belongs to. Conditions on `container` and `image` fields in one section must all hold
 * for the same container; `image` fields need scan facts and `request` fields an admission request
 * (without them the condition does not hold).
 */
export type FieldScope = "resource" | "pod" | "container" | "image" | "request";

export interface FieldDefinition {
  id: string;
  type: FieldType;
  scope: FieldScope;
  description: string;
  /** Kubernetes' value when the field is absent; comparisons use it, exists/notExists do not. */
  default?: string | number | boolean;
  /** The values Kubernetes allows, for a select box. */
  enum?: readonly string[];
  operators: readonly Operator[];
}

/** Which operators make sense for each type (see docs/policies.md for their exact semantics). */
export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly Operator[]>> = {
  string: ["equals", "notEquals", "in", "notIn", "exists", "notExists", "contains", "notContains", "startsWith", "endsWith", "matches"],
  number: ["equals", "notEquals", "in", "notIn", "exists", "notExists", "gt", "gte", "lt", "lte"],
  boolean: ["equals", "notEquals", "exists", "notExists"],
  "string[]": ["contains", "notContains", "in", "notIn", "exists", "notExists", "startsWith", "endsWith", "matches"],
  "number[]": ["contains", "notContains", "in", "notIn", "exists", "notExists", "gt", "gte", "lt", "lte"],
  map: ["contains", "notContains", "exists", "notExists"],
  object: ["exists", "notExists"],
};

type Entry = Omit<FieldDefinition, "operators">;
const f = (id: string, type: FieldType, scope: FieldScope, description: string, extra: Partial<Pick<FieldDefinition, "default" | "enum">> = {}): Entry => ({ id, type, scope, description, ...extra });

const ENTRIES: readonly Entry[] = [
  // resource
  f("resource.kind", "string", "resource", "Kind, e.g. Deployment, Pod, Service."),
  f("resource.apiVersion", "string", "resource", "apiVersion, e.g. apps/v1."),
  f("resource.name", "string", "resource", "metadata.name."),
  f("resource.namespace", "string", "resource", "metadata.namespace (absent for cluster-scoped resources)."),
  f("resource.cluster", "string", "resource", "The cluster the resource runs in (absent in CI)."),
  f("resource.labels", "map", "resource", "metadata.labels; values are `key` or `key=value`."),
  f("resource.annotations", "map", "resource", "metadata.annotations; values are `key` or `key=value`."),
  // pod
  f("pod.labels", "map", "pod", "Labels of the pods the resource creates (the template's, or the Pod's own)."),
  f("pod.annotations", "map", "pod", "Annotations of the pods the resource creates."),
  f("pod.hostNetwork", "boolean", "pod", "Pods use the node's network namespace.", { default: false }),
  f("pod.hostPID", "boolean", "pod", "Pods share the node's process namespace.", { default: false }),
  f("pod.hostIPC", "boolean", "pod", "Pods share the node's IPC namespace.", { default: false }),
  f("pod.shareProcessNamespace", "boolean", "pod", "Containers of a pod see each other's processes.", { default: false }),
  f("pod.serviceAccountName", "string", "pod", "Service account the pods run as.", { default: "default" }),
  f("pod.automountServiceAccountToken", "boolean", "pod", "The service account token is mounted into the pods.", { default: true }),
  f("pod.securityContext.runAsNonRoot", "boolean", "pod", "Pod-level runAsNonRoot."),
  f("pod.securityContext.runAsUser", "number", "pod", "Pod-level runAsUser."),
  f("pod.securityContext.runAsGroup", "number", "pod", "Pod-level runAsGroup."),
  f("pod.securityContext.fsGroup", "number", "pod", "Pod-level fsGroup."),
  f("pod.securityContext.seccompProfile.type", "string", "pod", "Pod-level seccomp profile type.", { enum: ["RuntimeDefault", "Localhost", "Unconfined"] }),
  f("pod.volumes.types", "string[]", "pod", "The source type of each volume: hostPath, emptyDir, secret, configMap, persistentVolumeClaim, …"),
  f("pod.volumes.hostPath.paths", "string[]", "pod", "Node paths of hostPath volumes."),
  f("pod.priorityClassName", "string", "pod", "Priority class of the pods."),
  f("pod.runtimeClassName", "string", "pod", "Runtime class (e.g. gvisor, kata) of the pods."),
  // container
  f("container.name", "string", "container", "Container name."),
  f("container.kind", "string", "container", "Which list the container is in.", { enum: ["container", "initContainer", "ephemeralContainer"] }),
  f("container.image", "string", "container", "The image reference as written."),
  f("container.image.registry", "string", "container", "Registry host of the image, normalized (`nginx` → docker.io)."),
  f("container.image.repository", "string", "container", "Repository path (`nginx` → library/nginx)."),
  f("container.image.tag", "string", "container", "Tag; `latest` when neither tag nor digest is written."),
  f("container.image.digest", "string", "container", "Digest (`sha256:…`) when the reference pins one."),
  f("container.imagePullPolicy", "string", "container", "imagePullPolicy as written.", { enum: ["Always", "IfNotPresent", "Never"] }),
  f("container.securityContext.privileged", "boolean", "container", "Runs privileged.", { default: false }),
  f("container.securityContext.allowPrivilegeEscalation", "boolean", "container", "Processes may gain more privileges than their parent.", { default: true }),
  f("container.securityContext.readOnlyRootFilesystem", "boolean", "container", "Root filesystem is read-only.", { default: false }),
  f("container.securityContext.runAsNonRoot", "boolean", "container", "Effective runAsNonRoot: the container's, else the pod's."),
  f("container.securityContext.runAsUser", "number", "container", "Effective runAsUser: the container's, else the pod's."),
  f("container.securityContext.runAsGroup", "number", "container", "Effective runAsGroup: the container's, else the pod's."),
  f("container.securityContext.seccompProfile.type", "string", "container", "Effective seccomp profile type: the container's, else the pod's.", { enum: ["RuntimeDefault", "Localhost", "Unconfined"] }),
  f("container.securityContext.procMount", "string", "container", "procMount.", { default: "Default", enum: ["Default", "Unmasked"] }),
  f("container.capabilities.add", "string[]", "container", "Added Linux capabilities (e.g. NET_ADMIN, SYS_ADMIN)."),
  f("container.capabilities.drop", "string[]", "container", "Dropped Linux capabilities (e.g. ALL)."),
  f("container.ports.containerPort", "number[]", "container", "Declared container ports."),
  f("container.ports.hostPort", "number[]", "container", "Host ports the container binds on the node."),
  f("container.env.names", "string[]", "container", "Names of the environment variables."),
  f("container.volumeMounts.paths", "string[]", "container", "Mount paths inside the container."),
  f("container.resources.limits.cpu", "string", "container", "CPU limit (e.g. 500m)."),
  f("container.resources.limits.memory", "string", "container", "Memory limit (e.g. 256Mi)."),
  f("container.resources.requests.cpu", "string", "container", "CPU request."),
  f("container.resources.requests.memory", "string", "container", "Memory request."),
  f("container.livenessProbe", "object", "container", "The liveness probe."),
  f("container.readinessProbe", "object", "container", "The readiness probe."),
  // image (scan facts; conditions do not hold for containers whose image has no facts)
  f("image.scanned", "boolean", "image", "Scan facts exist for the container's image (the one image field that holds without them)."),
  f("image.registry", "string", "image", "Registry of the scanned image."),
  f("image.vulnerabilities.critical", "number", "image", "Critical vulnerabilities."),
  f("image.vulnerabilities.high", "number", "image", "High vulnerabilities."),
  f("image.vulnerabilities.medium", "number", "image", "Medium vulnerabilities."),
  f("image.vulnerabilities.low", "number", "image", "Low vulnerabilities."),
  f("image.vulnerabilities.fixableCritical", "number", "image", "Critical vulnerabilities with a fixed version available."),
  f("image.vulnerabilities.fixableHigh", "number", "image", "High vulnerabilities with a fixed version available."),
  f("image.vulnerabilities.ids", "string[]", "image", "CVE ids found in the image."),
  f("image.malware.detected", "boolean", "image", "Malware was found in the image."),
  f("image.malware.signatures", "string[]", "image", "Names of the malware signatures that matched."),
  f("image.signature.verified", "boolean", "image", "The image signature was verified."),
  f("image.signature.signer", "string", "image", "Who signed the image."),
  f("image.scanAgeHours", "number", "image", "Hours since the image was last scanned (absent when the scan time is unknown)."),
  // request (admission only; conditions do not hold without an admission request)
  f("request.operation", "string", "request", "Admission operation.", { enum: ["CREATE", "UPDATE", "DELETE", "CONNECT"] }),
  f("request.userInfo.username", "string", "request", "Who sent the request (`system:serviceaccount:ns:name` for service accounts)."),
  f("request.userInfo.groups", "string[]", "request", "Groups of the requesting user."),
  f("request.dryRun", "boolean", "request", "The request is a dry run.", { default: false }),
];

export const FIELD_CATALOG: readonly FieldDefinition[] = ENTRIES.map((e) => ({ ...e, operators: OPERATORS_BY_TYPE[e.type] }));

const BY_ID: ReadonlyMap<string, FieldDefinition> = new Map(FIELD_CATALOG.map((d) => [d.id, d]));

export function fieldDefinition(id: string): FieldDefinition | undefined {
  return BY_ID.get(id);
}
