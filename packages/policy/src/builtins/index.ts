// The built-in policies: metadata plus a native straight-line check each. Ids are part of the API
// (bundles, exceptions, findings) and never change.
import type { BuiltinPolicy } from "../types.ts";
import { unauthorizedDeployer } from "./deployer.ts";
import { noDockerSocket, noHostNamespaces, noHostPath, noHostPorts } from "./host.ts";
import { imageScannedRecently, noFixableCriticalVulns, noMalware, requireSignedImages } from "./image-facts.ts";
import { imageDigestPinned, noLatestTag, trustedRegistries } from "./images.ts";
import { noSensitivePorts } from "./network.ts";
import { dropAllCapabilities, noPrivilegeEscalation, noPrivileged, readOnlyRootFs, runAsNonRoot } from "./privileges.ts";
import { noSecretsInEnv } from "./secrets.ts";
import { automountServiceAccountToken, resourceLimits } from "./workload.ts";

export const BUILTIN_POLICY_IDS = [
  "no-privileged",
  "no-privilege-escalation",
  "run-as-non-root",
  "read-only-root-fs",
  "drop-all-capabilities",
  "no-host-namespaces",
  "no-host-path",
  "no-host-ports",
  "no-docker-socket",
  "resource-limits",
  "no-latest-tag",
  "trusted-registries",
  "no-secrets-in-env",
  "no-sensitive-ports",
  "automount-service-account-token",
  "image-digest-pinned",
  "no-fixable-critical-vulns",
  "no-malware",
  "require-signed-images",
  "image-scanned-recently",
  "unauthorized-deployer",
] as const;

export type BuiltinPolicyId = (typeof BUILTIN_POLICY_IDS)[number];

/** In the order of BUILTIN_POLICY_IDS. Frozen: shared by every evaluation. */
export const BUILTIN_POLICIES: readonly BuiltinPolicy[] = Object.freeze([
  noPrivileged,
  noPrivilegeEscalation,
  runAsNonRoot,
  readOnlyRootFs,
  dropAllCapabilities,
  noHostNamespaces,
  noHostPath,
  noHostPorts,
  noDockerSocket,
  resourceLimits,
  noLatestTag,
  trustedRegistries,
  noSecretsInEnv,
  noSensitivePorts,
  automountServiceAccountToken,
  imageDigestPinned,
  noFixableCriticalVulns,
  noMalware,
  requireSignedImages,
  imageScannedRecently,
  unauthorizedDeployer,
]);

const BY_ID: ReadonlyMap<string, BuiltinPolicy> = new Map(BUILTIN_POLICIES.map((p) => [p.id, p]));

/** The built-in with this id, or undefined. */
export function getBuiltinPolicy(id: string): BuiltinPolicy | undefined {
  return BY_ID.get(id);
}

export function isBuiltinPolicyId(id: string): id is BuiltinPolicyId {
  return BY_ID.has(id);
}

export { detectSecret, shannonEntropy, type SecretFinding } from "./secret-detect.ts";
export { exposedRuntimeSocket } from "./host.ts";
export { SENSITIVE_PORTS } from "./network.ts";
export { isAllowedDeployer } from "./deployer.ts";
