import { isObject } from "../input/path.ts";
import type { BuiltinPolicy, EvaluationInput, Violation } from "../types.ts";
import { arrayIn, at, show } from "./util.ts";

// Host isolation: what a pod shares with its node (namespaces, filesystem, ports, the runtime socket).

const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"] as const;
const NAMESPACE_RISK: Record<(typeof HOST_NAMESPACES)[number], string> = {
  hostNetwork: "the node's network stack (sniffing, node-local services, bypassing NetworkPolicy)",
  hostPID: "the node's processes (inspecting and signalling every process on the node)",
  hostIPC: "the node's IPC namespace (shared memory of host processes)",
};

export const noHostNamespaces: BuiltinPolicy = {
  id: "no-host-namespaces",
  name: "No host namespaces",
  description: "Pods must not set `hostNetwork`, `hostPID` or `hostIPC`.",
  rationale: "Sharing a host namespace removes a layer of isolation between the container and the node and the other pods on it.",
  remediation: "Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false).",
  severity: "HIGH",
  category: "Host isolation",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1611"],
  threats: ["privilege-escalation", "insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const podSpec = resource.podSpec;
    if (podSpec === undefined) return out;
    for (const field of HOST_NAMESPACES) {
      if (podSpec[field] === true) {
        out.push({ message: `The pod shares ${NAMESPACE_RISK[field]}`, path: at(resource.podSpecPath, field), evidence: `${field}: true` });
      }
    }
    return out;
  },
};

export const noHostPath: BuiltinPolicy = {
  id: "no-host-path",
  name: "No hostPath volumes",
  description: "Pods must not mount directories or files of the node through `hostPath` volumes.",
  rationale: "A hostPath volume exposes the node's filesystem: writable mounts of /, /etc, /var/lib/kubelet or a runtime socket are direct escapes to the host.",
  remediation: "Use emptyDir, configMap, secret, projected or persistent volumes instead of hostPath.",
  severity: "HIGH",
  category: "Host isolation",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1611"],
  threats: ["privilege-escalation", "insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const volumes = arrayIn(resource.podSpec, "volumes");
    if (volumes === undefined) return out;
    for (let i = 0; i < volumes.length; i++) {
      const v = volumes[i];
      if (!isObject(v) || !isObject(v["hostPath"])) continue;
      const hostPath = v["hostPath"]["path"];
      out.push({
        message: `Volume "${show(v["name"])}" mounts ${show(hostPath)} from the host`,
        path: at(resource.podSpecPath, `volumes[${i}].hostPath`),
        evidence: `hostPath.path: ${show(hostPath)}`,
      });
    }
    return out;
  },
};

export const noHostPorts: BuiltinPolicy = {
  id: "no-host-ports",
  name: "No host ports",
  description: "Containers must not bind ports on the node with `hostPort`.",
  rationale: "A host port publishes the container on the node's address, outside Service load-balancing and most NetworkPolicy implementations.",
  remediation: "Remove `hostPort` and expose the container through a Service (and an Ingress or Gateway when it must be reachable from outside).",
  severity: "MEDIUM",
  category: "Network exposure",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1133"],
  threats: ["insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    if (resource.podSpec === undefined) return out;
    for (const c of resource.containers) {
      const ports = arrayIn(c.spec, "ports");
      if (ports === undefined) continue;
      for (let j = 0; j < ports.length; j++) {
        const p = ports[j];
        if (!isObject(p)) continue;
        const hostPort = p["hostPort"];
        if (hostPort === undefined || hostPort === null || hostPort === 0) continue;
        out.push({
          message: `Container "${c.name}" binds host port ${show(hostPort)}`,
          container: c.name,
          path: `${c.path}.ports[${j}].hostPort`,
          evidence: `hostPort: ${show(hostPort)}, containerPort: ${show(p["containerPort"])}`,
        });
      }
    }
    return out;
  },
};

// Container runtime API sockets: whoever reaches one can start a privileged container on the node.
const SOCKET_NAMES = new Set(["docker.sock", "containerd.sock", "containerd.sock.ttrpc", "crio.sock", "cri-dockerd.sock", "dockershim.sock", "podman.sock"]);
const SOCKETS = ["/var/run/docker.sock", "/run/docker.sock", "/var/run/cri-dockerd.sock", "/run/cri-dockerd.sock", "/var/run/dockershim.sock", "/run/dockershim.sock"];
/** Runtime state directories: every socket inside them (containerd.sock, its ttrpc twin, shims) counts. */
const RUNTIME_DIRS = [
  "/var/run/containerd",
  "/run/containerd",
  "/var/run/crio",
  "/run/crio",
  "/var/run/docker",
  "/run/docker",
  "/var/run/podman",
  "/run/podman",
  "/run/k3s/containerd",
  "/var/run/k3s/containerd",
  "/var/snap/microk8s/common/run",
];

/** Lexical normalization: repeated and trailing slashes, `.` and `..` (hostPath does not resolve them for us). */
function normalizeHostPath(path: string): string {
  const parts: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}

function isAncestorOrSelf(dir: string, path: string): boolean {
  return dir === path || dir === "/" || path.startsWith(`${dir}/`);
}

/** What runtime socket a host path exposes ("the … socket /run/docker.sock"), if any. */
export function exposedRuntimeSocket(hostPath: string): string | undefined {
  const path = normalizeHostPath(hostPath);
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (SOCKET_NAMES.has(base)) return `the container runtime socket ${path}`;
  for (const socket of SOCKETS) if (isAncestorOrSelf(path, socket)) return `the container runtime socket ${socket}`;
  for (const dir of RUNTIME_DIRS) if (isAncestorOrSelf(dir, path) || isAncestorOrSelf(path, dir)) return `the container runtime sockets in ${dir}`;
  return undefined;
}

export const noDockerSocket: BuiltinPolicy = {
  id: "no-docker-socket",
  name: "No container runtime socket",
  description:
    "Pods must not mount a container runtime socket (Docker, containerd, CRI-O, cri-dockerd, Podman) from the host, nor a parent directory such as /var/run or /run that contains one.",
  rationale:
    "The runtime socket is an unauthenticated root API on the node: a pod that reaches it can start privileged containers, read every container's secrets and bypass admission control entirely.",
  remediation: "Remove the hostPath volume. Build images with rootless builders (BuildKit rootless, Kaniko) and use the Kubernetes API rather than the runtime for introspection.",
  severity: "CRITICAL",
  category: "Host isolation",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "WARN",
  mitre: ["T1611", "T1552.007", "T1610"],
  threats: ["privilege-escalation", "unauthorized-deployment", "insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    const volumes = arrayIn(resource.podSpec, "volumes");
    if (volumes === undefined) return out;
    for (let i = 0; i < volumes.length; i++) {
      const v = volumes[i];
      if (!isObject(v) || !isObject(v["hostPath"])) continue;
      const hostPath = v["hostPath"]["path"];
      if (typeof hostPath !== "string") continue;
      const exposed = exposedRuntimeSocket(hostPath);
      if (exposed === undefined) continue;
      out.push({
        message: `Volume "${show(v["name"])}" mounts ${hostPath} from the host, exposing ${exposed}`,
        path: at(resource.podSpecPath, `volumes[${i}].hostPath.path`),
        evidence: `hostPath.path: ${show(hostPath)}`,
      });
    }
    return out;
  },
};
