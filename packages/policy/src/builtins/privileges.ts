import type { BuiltinPolicy, EvaluationInput, Violation } from "../types.ts";
import { arrayIn, at, capabilityName, isWindowsPod, objectIn, securityContextOf, show } from "./util.ts";

// Low-privilege users (practice 3): container security contexts. Every check is one pass over the
// resource's containers (regular, init, ephemeral unless said otherwise); a container setting overrides
// the pod's, as the kubelet applies them.

export const noPrivileged: BuiltinPolicy = {
  id: "no-privileged",
  name: "No privileged containers",
  description: "Containers must not run privileged (nor as Windows HostProcess containers).",
  rationale:
    "A privileged container has every capability and all host devices; escaping to the node is a matter of mounting its disk or loading a kernel module.",
  remediation: "Remove `securityContext.privileged: true` (and `windowsOptions.hostProcess: true`); grant only the specific capabilities the workload needs.",
  severity: "CRITICAL",
  category: "Privileges",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "WARN",
  mitre: ["T1611"],
  threats: ["privilege-escalation", "insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const podSpec = resource.podSpec;
    if (podSpec === undefined) return out;
    const podHostProcess = objectIn(securityContextOf(podSpec), "windowsOptions")?.["hostProcess"] === true;
    if (podHostProcess) {
      out.push({
        message: "The pod runs as a Windows HostProcess pod, with full access to the node",
        path: at(resource.podSpecPath, "securityContext.windowsOptions.hostProcess"),
        evidence: "hostProcess: true",
      });
    }
    for (const c of resource.containers) {
      const sc = securityContextOf(c.spec);
      if (sc === undefined) continue;
      if (sc["privileged"] === true) {
        out.push({ message: `Container "${c.name}" runs privileged`, container: c.name, path: `${c.path}.securityContext.privileged`, evidence: "privileged: true" });
      }
      if (!podHostProcess && objectIn(sc, "windowsOptions")?.["hostProcess"] === true) {
        out.push({
          message: `Container "${c.name}" runs as a Windows HostProcess container`,
          container: c.name,
          path: `${c.path}.securityContext.windowsOptions.hostProcess`,
          evidence: "hostProcess: true",
        });
      }
    }
    return out;
  },
};

/** Index of the first `SYS_ADMIN` in `capabilities.add`, or -1. */
function sysAdminIndex(add: unknown[] | undefined): number {
  if (add === undefined) return -1;
  for (let i = 0; i < add.length; i++) if (capabilityName(add[i]) === "SYS_ADMIN") return i;
  return -1;
}

export const noPrivilegeEscalation: BuiltinPolicy = {
  id: "no-privilege-escalation",
  name: "No privilege escalation",
  description: "Every container must set `allowPrivilegeEscalation: false`, and must be neither privileged nor granted CAP_SYS_ADMIN (both always allow escalation).",
  rationale:
    "Without no_new_privs a process can gain privileges through setuid binaries or file capabilities, turning a foothold in the container into root and a step towards the node.",
  remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container and remove `privileged` and `SYS_ADMIN`.",
  severity: "HIGH",
  category: "Privileges",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1611", "T1068"],
  threats: ["privilege-escalation", "insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const podSpec = resource.podSpec;
    // The field does not exist for Windows containers, and the API server rejects it there.
    if (podSpec === undefined || isWindowsPod(podSpec)) return out;
    for (const c of resource.containers) {
      const sc = securityContextOf(c.spec);
      const ape = sc?.["allowPrivilegeEscalation"];
      if (sc?.["privileged"] === true) {
        out.push({
          message: `Container "${c.name}" is privileged, which always allows privilege escalation`,
          container: c.name,
          path: `${c.path}.securityContext.privileged`,
          evidence: `privileged: true, allowPrivilegeEscalation: ${show(ape)}`,
        });
        continue;
      }
      const add = arrayIn(objectIn(sc, "capabilities"), "add");
      const sysAdmin = sysAdminIndex(add);
      if (sysAdmin >= 0) {
        out.push({
          message: `Container "${c.name}" adds CAP_SYS_ADMIN, which always allows privilege escalation`,
          container: c.name,
          path: `${c.path}.securityContext.capabilities.add[${sysAdmin}]`,
          evidence: `capabilities.add: ${show(add?.[sysAdmin])}, allowPrivilegeEscalation: ${show(ape)}`,
        });
        continue;
      }
      if (ape !== false) {
        out.push({
          message: `Container "${c.name}" does not set allowPrivilegeEscalation to false`,
          container: c.name,
          path: `${c.path}.securityContext.allowPrivilegeEscalation`,
          evidence: `allowPrivilegeEscalation: ${show(ape)}`,
        });
      }
    }
    return out;
  },
};

export const runAsNonRoot: BuiltinPolicy = {
  id: "run-as-non-root",
  name: "Run as non-root",
  description:
    "Every container must run with `runAsNonRoot: true` (set on the pod or the container; the container's setting wins) and no `runAsUser: 0` may appear on the pod or any container.",
  rationale: "Root in a container is root on the node's kernel: any escape or writable host mount starts with full privileges.",
  remediation: "Set `securityContext.runAsNonRoot: true` on the pod, a non-zero `runAsUser`, and build images with a non-root USER.",
  severity: "MEDIUM",
  category: "Privileges",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1611", "T1068"],
  threats: ["privilege-escalation", "insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const podSpec = resource.podSpec;
    if (podSpec === undefined) return out;
    const podSc = securityContextOf(podSpec);
    const podNonRoot = podSc?.["runAsNonRoot"];
    if (podSc?.["runAsUser"] === 0) {
      out.push({ message: "The pod sets runAsUser 0 (root)", path: at(resource.podSpecPath, "securityContext.runAsUser"), evidence: "runAsUser: 0" });
    }
    for (const c of resource.containers) {
      const sc = securityContextOf(c.spec);
      const own = sc?.["runAsNonRoot"];
      const ownSet = typeof own === "boolean";
      const effective = ownSet ? own : podNonRoot;
      if (effective !== true) {
        // Point at the setting that decided it: the container's, else the pod's false, else where to add it.
        const podSaysNo = !ownSet && typeof podNonRoot === "boolean";
        out.push({
          message: `Container "${c.name}" may run as root: runAsNonRoot is not true`,
          container: c.name,
          path: podSaysNo ? at(resource.podSpecPath, "securityContext.runAsNonRoot") : `${c.path}.securityContext.runAsNonRoot`,
          evidence: podSaysNo ? `pod runAsNonRoot: ${show(podNonRoot)}` : `runAsNonRoot: ${show(own)}`,
        });
      }
      if (sc?.["runAsUser"] === 0) {
        out.push({ message: `Container "${c.name}" sets runAsUser 0 (root)`, container: c.name, path: `${c.path}.securityContext.runAsUser`, evidence: "runAsUser: 0" });
      }
    }
    return out;
  },
};

export const readOnlyRootFs: BuiltinPolicy = {
  id: "read-only-root-fs",
  name: "Read-only root filesystem",
  description: "Every regular and init container must set `readOnlyRootFilesystem: true`.",
  rationale:
    "A writable root filesystem lets an intruder drop and run tools or miners, and replace files of the image; a read-only one makes the running container match its image.",
  remediation: "Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the application must write (e.g. /tmp).",
  severity: "MEDIUM",
  category: "Filesystem",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1496", "T1036.005"],
  threats: ["insecure-configuration", "malware"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const podSpec = resource.podSpec;
    // Windows containers cannot set the field (the API server rejects it for os.name windows).
    if (podSpec === undefined || isWindowsPod(podSpec)) return out;
    for (const c of resource.containers) {
      // Ephemeral (debug) containers are attached by hand for troubleshooting and usually need to write.
      if (c.kind === "ephemeralContainer") continue;
      const ro = securityContextOf(c.spec)?.["readOnlyRootFilesystem"];
      if (ro !== true) {
        out.push({
          message: `Container "${c.name}" has a writable root filesystem`,
          container: c.name,
          path: `${c.path}.securityContext.readOnlyRootFilesystem`,
          evidence: `readOnlyRootFilesystem: ${show(ro)}`,
        });
      }
    }
    return out;
  },
};

/** The one capability a non-root web server may need (binding ports below 1024). */
const ALLOWED_ADDED_CAPABILITY = "NET_BIND_SERVICE";

export const dropAllCapabilities: BuiltinPolicy = {
  id: "drop-all-capabilities",
  name: "Drop all capabilities",
  description: "Every container must drop `ALL` capabilities and may add back only NET_BIND_SERVICE.",
  rationale:
    "The runtime's default capability set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, …) is far more than applications need and is what most container-escape and lateral-movement techniques rely on.",
  remediation: "Set `securityContext.capabilities.drop: [\"ALL\"]` and add back only `NET_BIND_SERVICE` if the process binds a port below 1024.",
  severity: "MEDIUM",
  category: "Privileges",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1611", "T1068"],
  threats: ["privilege-escalation", "insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const podSpec = resource.podSpec;
    // Capabilities are a Linux concept; Windows pods cannot set them.
    if (podSpec === undefined || isWindowsPod(podSpec)) return out;
    for (const c of resource.containers) {
      const caps = objectIn(securityContextOf(c.spec), "capabilities");
      const drop = arrayIn(caps, "drop");
      let dropsAll = false;
      if (drop !== undefined) {
        for (const d of drop) {
          if (typeof d === "string" && d.length === 3 && d.toUpperCase() === "ALL") {
            dropsAll = true;
            break;
          }
        }
      }
      if (!dropsAll) {
        out.push({
          message: `Container "${c.name}" does not drop ALL capabilities`,
          container: c.name,
          path: `${c.path}.securityContext.capabilities.drop`,
          evidence: `capabilities.drop: ${show(caps?.["drop"])}`,
        });
      }
      const add = arrayIn(caps, "add");
      if (add === undefined) continue;
      for (let i = 0; i < add.length; i++) {
        const name = capabilityName(add[i]);
        if (name === ALLOWED_ADDED_CAPABILITY) continue;
        out.push({
          message: `Container "${c.name}" adds capability ${name}`,
          container: c.name,
          path: `${c.path}.securityContext.capabilities.add[${i}]`,
          evidence: `capabilities.add: ${show(add[i])}`,
        });
      }
    }
    return out;
  },
};
