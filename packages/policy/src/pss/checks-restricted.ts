import { isObject, prop } from "../input/path.ts";
import { capabilityList, procMount_1_0, validSeccompType, volumes } from "./checks-baseline.ts";
import { type CheckFn, containerList, inUserNamespace, isSet, isWindowsPod, joinQuote, pluralize, podSecurityContext, sortedSet, str } from "./helpers.ts";

// Restricted checks (on top of the baseline ones they do not override), one function per upstream
// version of check_<id>.go in k8s.io/pod-security-admission/policy.

// Allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, image (patched into the 1.0 function
// upstream, so at every version), persistentVolumeClaim, projected, secret. These are all the other
// inline sources the Pod API knows, in upstream's order of precedence for the message.
const RESTRICTED_VOLUME_SOURCES = [
  "hostPath",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "nfs",
  "iscsi",
  "glusterfs",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "fc",
  "azureFile",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "storageos",
];

/**
 * Upstream allows a volume when it has an allowed source; a volume without any source is defaulted
 * to emptyDir by the API server (so allowed). One deliberate difference: a volume that names an
 * allowed *and* a restricted source (which API validation would reject anyway) fails here, so such
 * a manifest never passes on the strength of its harmless half.
 */
export const restrictedVolumes_1_0: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const types: string[] = [];
  for (const { name, volume } of volumes(spec)) {
    const restricted = RESTRICTED_VOLUME_SOURCES.find((source) => isSet(volume, source));
    if (restricted === undefined) continue;
    bad.push(name);
    types.push(restricted);
  }
  if (!bad.length) return undefined;
  const list = sortedSet(types);
  return {
    reason: "restricted volume types",
    detail: `${pluralize("volume", "volumes", bad.length)} ${joinQuote(bad)} ${pluralize("uses", "use", bad.length)} ${pluralize("restricted volume type", "restricted volume types", list.length)} ${joinQuote(list)}`,
  };
};

export const allowPrivilegeEscalation_1_8: CheckFn = ({ containers }) => {
  // Unset means true for Linux processes (no_new_privs is off), so it must be explicitly false.
  const bad = containers
    .filter((c) => prop(c.securityContext, "allowPrivilegeEscalation") !== false)
    .map((c) => c.name);
  return bad.length ? { reason: "allowPrivilegeEscalation != false", detail: `${containerList(bad)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
};

/** From 1.25, pods with spec.os.name=windows are exempt: the field does not apply to Windows. */
function exemptWindows(check: CheckFn): CheckFn {
  return (pod) => (isWindowsPod(pod.spec) ? undefined : check(pod));
}

export const allowPrivilegeEscalation_1_25 = exemptWindows(allowPrivilegeEscalation_1_8);

export const runAsNonRoot_1_0: CheckFn = ({ spec, containers }) => {
  const setters: string[] = [];
  let podNonRoot = false;
  const podValue = prop(podSecurityContext(spec), "runAsNonRoot");
  if (podValue === false) setters.push("pod");
  else if (podValue === true) podNonRoot = true;
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  for (const c of containers) {
    const v = prop(c.securityContext, "runAsNonRoot");
    if (typeof v === "boolean") {
      if (!v) explicitlyBad.push(c.name);
    } else if (!podNonRoot) implicitlyBad.push(c.name);
  }
  if (explicitlyBad.length) setters.push(containerList(explicitlyBad));
  if (setters.length) return { reason: "runAsNonRoot != true", detail: `${setters.join(" and ")} must not set securityContext.runAsNonRoot=false` };
  if (implicitlyBad.length) return { reason: "runAsNonRoot != true", detail: `pod or ${containerList(implicitlyBad)} must set securityContext.runAsNonRoot=true` };
  return undefined;
};

/** 1.35+: UID 0 inside a user namespace maps to an unprivileged host UID (KEP-127). */
function relaxForUserNamespace(check: CheckFn): CheckFn {
  return (pod) => (inUserNamespace(pod.spec) ? undefined : check(pod));
}

export const runAsNonRoot_1_35 = relaxForUserNamespace(runAsNonRoot_1_0);

export const runAsUser_1_23: CheckFn = ({ spec, containers }) => {
  const setters: string[] = [];
  if (prop(podSecurityContext(spec), "runAsUser") === 0) setters.push("pod");
  const bad = containers
    .filter((c) => prop(c.securityContext, "runAsUser") === 0)
    .map((c) => c.name);
  if (bad.length) setters.push(containerList(bad));
  return setters.length ? { reason: "runAsUser=0", detail: `${setters.join(" and ")} must not set runAsUser=0` } : undefined;
};

export const runAsUser_1_35 = relaxForUserNamespace(runAsUser_1_23);

export const seccompProfileRestricted_1_19: CheckFn = ({ spec, containers }) => {
  const setters: string[] = [];
  const values: string[] = [];
  let podSet = false;
  const podProfile = prop(podSecurityContext(spec), "seccompProfile");
  if (isObject(podProfile)) {
    if (validSeccompType(podProfile)) podSet = true;
    else {
      setters.push("pod");
      values.push(str(podProfile, "type"));
    }
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  for (const c of containers) {
    const profile = prop(c.securityContext, "seccompProfile");
    if (isObject(profile)) {
      if (!validSeccompType(profile)) {
        explicitlyBad.push(c.name);
        values.push(str(profile, "type"));
      }
    } else if (!podSet) implicitlyBad.push(c.name);
  }
  if (explicitlyBad.length) setters.push(containerList(explicitlyBad));
  if (setters.length) {
    return { reason: "seccompProfile", detail: `${setters.join(" and ")} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}` };
  }
  if (implicitlyBad.length) {
    return { reason: "seccompProfile", detail: `pod or ${containerList(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` };
  }
  return undefined;
};

export const seccompProfileRestricted_1_25 = exemptWindows(seccompProfileRestricted_1_19);

export const capabilitiesRestricted_1_22: CheckFn = ({ containers }) => {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden: string[] = [];
  for (const c of containers) {
    if (!isObject(prop(c.securityContext, "capabilities"))) {
      missingDropAll.push(c.name);
      continue;
    }
    // Exact "ALL": the runtime matches capability names case-sensitively.
    if (!capabilityList(c.securityContext, "drop").includes("ALL")) missingDropAll.push(c.name);
    const extra = capabilityList(c.securityContext, "add").filter((cap) => cap !== "NET_BIND_SERVICE");
    if (extra.length) {
      addingForbidden.push(c.name);
      forbidden.push(...extra);
    }
  }
  const details: string[] = [];
  if (missingDropAll.length) details.push(`${containerList(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length) details.push(`${containerList(addingForbidden)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`);
  return details.length ? { reason: "unrestricted capabilities", detail: details.join("; ") } : undefined;
};

export const capabilitiesRestricted_1_25 = exemptWindows(capabilitiesRestricted_1_22);

/** Restricted keeps the unconditional procMount rule even for user-namespaced pods. */
export const procMountRestricted_1_35: CheckFn = procMount_1_0;
