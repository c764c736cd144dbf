import { arrayAt, isObject, objectAt, prop } from "../input/path.ts";
import {
  type CheckFn,
  type PodView,
  containerList,
  goQuote,
  inUserNamespace,
  isSet,
  isTrue,
  joinQuote,
  pluralize,
  podSecurityContext,
  sortedSet,
  str,
} from "./helpers.ts";

// Baseline checks, one function per upstream version (check_<id>.go in
// k8s.io/pod-security-admission/policy). Reasons are upstream's strings; details follow its format.

export const hostNamespaces_1_0: CheckFn = ({ spec }) => {
  const set = (["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => isTrue(prop(spec, k))).map((k) => `${k}=true`);
  return set.length ? { reason: "host namespaces", detail: set.join(", ") } : undefined;
};

export const privileged_1_0: CheckFn = ({ containers }) => {
  const bad = containers.filter((c) => isTrue(prop(c.securityContext, "privileged"))).map((c) => c.name);
  return bad.length ? { reason: "privileged", detail: `${containerList(bad)} must not set securityContext.privileged=true` } : undefined;
};

const DEFAULT_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/** Capability names as the API stores them; non-strings cannot pass API validation. */
export function capabilityList(securityContext: unknown, field: "add" | "drop"): string[] {
  return (arrayAt(objectAt(securityContext, "capabilities"), field) ?? []).filter((c): c is string => typeof c === "string");
}

export const capabilitiesBaseline_1_0: CheckFn = ({ containers }) => {
  const bad: string[] = [];
  const caps: string[] = [];
  for (const c of containers) {
    const extra = capabilityList(c.securityContext, "add").filter((cap) => !DEFAULT_CAPABILITIES.has(cap));
    if (extra.length === 0) continue;
    bad.push(c.name);
    caps.push(...extra);
  }
  if (!bad.length) return undefined;
  return {
    reason: "non-default capabilities",
    detail: `${containerList(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`,
  };
};

export function volumes(spec: PodView["spec"]): { name: string; volume: Record<string, unknown> }[] {
  return (arrayAt(spec, "volumes") ?? []).filter(isObject).map((v) => ({ name: str(v, "name"), volume: v }));
}

export const hostPathVolumes_1_0: CheckFn = ({ spec }) => {
  const bad = volumes(spec)
    .filter((v) => isSet(v.volume, "hostPath"))
    .map((v) => v.name);
  return bad.length ? { reason: "hostPath volumes", detail: `${pluralize("volume", "volumes", bad.length)} ${joinQuote(bad)}` } : undefined;
};

/**
 * hostPort must be unset or 0. Kubernetes also defaults hostPort to containerPort on hostNetwork
 * pods; that case already fails hostNamespaces, so it is not emulated.
 */
export const hostPorts_1_0: CheckFn = ({ containers }) => {
  const bad: string[] = [];
  const ports: string[] = [];
  for (const c of containers) {
    const used = (arrayAt(c.spec, "ports") ?? []).map((p) => prop(p, "hostPort")).filter((hp): hp is number => typeof hp === "number" && hp !== 0);
    if (!used.length) continue;
    bad.push(c.name);
    ports.push(...used.map(String));
  }
  if (!bad.length) return undefined;
  const list = sortedSet(ports);
  return {
    reason: "hostPort",
    detail: `${containerList(bad)} ${pluralize("uses", "use", bad.length)} ${pluralize("hostPort", "hostPorts", list.length)} ${list.join(", ")}`,
  };
};

const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/**
 * Both channels are live upstream at every version: the deprecated per-container annotation
 * ("", runtime/default, localhost/*) and the appArmorProfile field (RuntimeDefault, Localhost).
 */
export const appArmorProfile_1_0: CheckFn = ({ spec, annotations, containers }) => {
  const allowedType = (profile: unknown) => {
    const t = str(profile, "type");
    return t === "RuntimeDefault" || t === "Localhost";
  };
  const setters: string[] = [];
  const values: string[] = [];
  const podProfile = prop(podSecurityContext(spec), "appArmorProfile");
  if (isObject(podProfile) && !allowedType(podProfile)) {
    setters.push("pod");
    values.push(str(podProfile, "type"));
  }
  const bad: string[] = [];
  for (const c of containers) {
    const profile = prop(c.securityContext, "appArmorProfile");
    if (isObject(profile) && !allowedType(profile)) {
      bad.push(c.name);
      values.push(str(profile, "type"));
    }
  }
  if (bad.length) setters.push(containerList(bad));
  const badAnnotations = Object.entries(annotations)
    .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !(v === "" || v === "runtime/default" || v.startsWith("localhost/")))
    .map(([k, v]) => `${k}=${goQuote(v)}`)
    .sort();
  const valueList = [...sortedSet(values), ...badAnnotations];
  if (badAnnotations.length) setters.push(pluralize("annotation", "annotations", badAnnotations.length));
  if (!setters.length) return undefined;
  return {
    reason: pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", valueList.length),
    detail: `${setters.join(" and ")} must not set AppArmor profile type to ${joinQuote(valueList)}`,
  };
};

const SELINUX_TYPES_1_0 = ["", "container_t", "container_init_t", "container_kvm_t"];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, "container_engine_t"];

function seLinuxOptions(allowedTypes: readonly string[]): CheckFn {
  const allowed = new Set(allowedTypes);
  return ({ spec, containers }) => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (opts: unknown): boolean => {
      let ok = true;
      const type = str(opts, "type");
      if (!allowed.has(type)) {
        ok = false;
        badTypes.push(type);
      }
      if (str(opts, "user") !== "") {
        ok = false;
        setUser = true;
      }
      if (str(opts, "role") !== "") {
        ok = false;
        setRole = true;
      }
      return ok;
    };
    const setters: string[] = [];
    const podOpts = objectAt(podSecurityContext(spec), "seLinuxOptions");
    if (podOpts && !valid(podOpts)) setters.push("pod");
    const bad = containers
      .filter((c) => {
        const opts = objectAt(c.securityContext, "seLinuxOptions");
        return opts !== undefined && !valid(opts);
      })
      .map((c) => c.name);
    if (bad.length) setters.push(containerList(bad));
    if (!setters.length) return undefined;
    const types = sortedSet(badTypes);
    // Upstream only names user/role alongside a bad type; naming them always tells the user more.
    const data = [
      ...(types.length ? [`${pluralize("type", "types", types.length)} ${joinQuote(types)}`] : []),
      ...(setUser ? ["user may not be set"] : []),
      ...(setRole ? ["role may not be set"] : []),
    ];
    return { reason: "seLinuxOptions", detail: `${setters.join(" and ")} set forbidden securityContext.seLinuxOptions: ${data.join("; ")}` };
  };
}
export const seLinuxOptions_1_0 = seLinuxOptions(SELINUX_TYPES_1_0);
export const seLinuxOptions_1_31 = seLinuxOptions(SELINUX_TYPES_1_31);

/** Unconditional: any procMount other than Default (the restricted rule at every version). */
export const procMount_1_0: CheckFn = ({ containers }) => {
  const bad: string[] = [];
  const types: string[] = [];
  for (const c of containers) {
    const pm = prop(c.securityContext, "procMount");
    if (typeof pm !== "string" || pm === "Default") continue;
    bad.push(c.name);
    types.push(pm);
  }
  if (!bad.length) return undefined;
  return { reason: "procMount", detail: `${containerList(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}` };
};

/** 1.35+: a user-namespaced pod's /proc cannot reach the host's, so baseline lets it unmask. */
export const procMount_1_35: CheckFn = (pod) => (inUserNamespace(pod.spec) ? undefined : procMount_1_0(pod));

const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

/** Before 1.19 seccomp was configured through alpha annotations. */
export const seccompProfileBaseline_1_0: CheckFn = ({ annotations, containers }) => {
  const validValue = (v: string) => v === "runtime/default" || v === "docker/default" || v.startsWith("localhost/");
  const forbidden: string[] = [];
  const check = (key: string) => {
    if (!Object.prototype.hasOwnProperty.call(annotations, key)) return;
    const v = annotations[key] ?? "";
    if (!validValue(v)) forbidden.push(`${key}=${goQuote(v)}`);
  };
  check(SECCOMP_POD_ANNOTATION);
  for (const c of containers) check(SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name);
  const list = sortedSet(forbidden);
  if (!list.length) return undefined;
  return { reason: "seccompProfile", detail: `forbidden ${pluralize("annotation", "annotations", list.length)} ${list.join(", ")}` };
};

export function validSeccompType(profile: unknown): boolean {
  const t = str(profile, "type");
  return t === "RuntimeDefault" || t === "Localhost";
}

export const seccompProfileBaseline_1_19: CheckFn = ({ spec, containers }) => {
  const setters: string[] = [];
  const values: string[] = [];
  const podProfile = prop(podSecurityContext(spec), "seccompProfile");
  if (isObject(podProfile) && !validSeccompType(podProfile)) {
    setters.push("pod");
    values.push(str(podProfile, "type"));
  }
  const bad: string[] = [];
  for (const c of containers) {
    const profile = prop(c.securityContext, "seccompProfile");
    if (isObject(profile) && !validSeccompType(profile)) {
      bad.push(c.name);
      values.push(str(profile, "type"));
    }
  }
  if (bad.length) setters.push(containerList(bad));
  if (!setters.length) return undefined;
  return { reason: "seccompProfile", detail: `${setters.join(" and ")} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(values))}` };
};

// The "safe" sysctl allow-list, which upstream only ever grows.
const SYSCTLS_1_0 = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports"];
const SYSCTLS_1_29 = [...SYSCTLS_1_27, "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];
const SYSCTLS_1_37 = [...SYSCTLS_1_32, "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"];

function sysctls(allowedNames: readonly string[]): CheckFn {
  const allowed = new Set(allowedNames);
  return ({ spec }) => {
    const forbidden = (arrayAt(podSecurityContext(spec), "sysctls") ?? [])
      .filter(isObject)
      .map((s) => str(s, "name"))
      .filter((name) => !allowed.has(name));
    return forbidden.length ? { reason: "forbidden sysctls", detail: forbidden.join(", ") } : undefined;
  };
}
export const sysctls_1_0 = sysctls(SYSCTLS_1_0);
export const sysctls_1_27 = sysctls(SYSCTLS_1_27);
export const sysctls_1_29 = sysctls(SYSCTLS_1_29);
export const sysctls_1_32 = sysctls(SYSCTLS_1_32);
export const sysctls_1_37 = sysctls(SYSCTLS_1_37);

export const windowsHostProcess_1_0: CheckFn = ({ spec, containers }) => {
  const hostProcess = (sc: unknown) => isTrue(prop(objectAt(sc, "windowsOptions"), "hostProcess"));
  const setters: string[] = [];
  if (hostProcess(podSecurityContext(spec))) setters.push("pod");
  const bad = containers
    .filter((c) => hostProcess(c.securityContext))
    .map((c) => c.name);
  if (bad.length) setters.push(containerList(bad));
  if (!setters.length) return undefined;
  return { reason: "hostProcess", detail: `${setters.join(" and ")} must not set securityContext.windowsOptions.hostProcess=true` };
};

/** Probes and lifecycle hooks with a `host` would let the kubelet reach arbitrary hosts (SSRF). */
export const hostProbesAndHostLifecycle_1_34: CheckFn = ({ containers }) => {
  const hostsOf = (handler: unknown) =>
    ["httpGet", "tcpSocket"].map((k) => str(objectAt(handler, k), "host")).filter((h) => h !== "");
  const bad: string[] = [];
  const hosts: string[] = [];
  for (const c of containers) {
    const lifecycle = objectAt(c.spec, "lifecycle");
    const found = [
      ...["livenessProbe", "readinessProbe", "startupProbe"].flatMap((p) => hostsOf(objectAt(c.spec, p))),
      ...["postStart", "preStop"].flatMap((h) => hostsOf(objectAt(lifecycle, h))),
    ];
    if (!found.length) continue;
    bad.push(c.name);
    hosts.push(...found);
  }
  if (!bad.length) return undefined;
  const names = sortedSet(bad);
  const list = sortedSet(hosts);
  return {
    reason: "probe or lifecycle host",
    detail: `${containerList(names)} ${pluralize("uses", "use", names.length)} ${pluralize("probe or lifecycle host", "probe or lifecycle hosts", list.length)} ${joinQuote(list)}`,
  };
};
