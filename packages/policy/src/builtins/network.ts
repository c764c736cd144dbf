import { isObject } from "../input/path.ts";
import type { BuiltinPolicy, EvaluationInput, JsonObject, Resource, Violation } from "../types.ts";
import { arrayIn, objectIn, show } from "./util.ts";

// Remote-administration and control-plane ports reachable from outside the cluster network: on the
// node through hostPort (or hostNetwork), or through a NodePort/LoadBalancer/externalIPs Service.

/** Ports whose exposure is a remote-access or cluster-takeover risk (T1133), with what usually listens. */
export const SENSITIVE_PORTS: ReadonlyMap<number, string> = new Map([
  [22, "SSH"],
  [23, "Telnet"],
  [2375, "Docker API (plain text)"],
  [2376, "Docker API (TLS)"],
  [2377, "Docker Swarm management"],
  [2379, "etcd client API"],
  [2380, "etcd peer API"],
  [3389, "RDP"],
  [4194, "cAdvisor"],
  [5900, "VNC"],
  [5985, "WinRM (HTTP)"],
  [5986, "WinRM (HTTPS)"],
  [6443, "Kubernetes API server"],
  [10250, "kubelet API"],
  [10255, "kubelet read-only API"],
  [10256, "kube-proxy health"],
  [10257, "kube-controller-manager"],
  [10259, "kube-scheduler"],
]);

/** A port number, also when written as a numeric string (targetPort may be either, or a port name). */
function portNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value !== "" && value.length <= 5) {
    const n = Number(value);
    return Number.isInteger(n) ? n : undefined;
  }
  return undefined;
}

function sensitive(value: unknown): string | undefined {
  const n = portNumber(value);
  return n === undefined ? undefined : SENSITIVE_PORTS.get(n);
}

function checkPods(resource: Resource, podSpec: JsonObject, out: Violation[]): void {
  // With hostNetwork every containerPort is a port on the node.
  const hostNetwork = podSpec["hostNetwork"] === true;
  for (const c of resource.containers) {
    const ports = arrayIn(c.spec, "ports");
    if (ports === undefined) continue;
    for (let j = 0; j < ports.length; j++) {
      const p = ports[j];
      if (!isObject(p)) continue;
      let field: "hostPort" | "containerPort" = "hostPort";
      let what = sensitive(p["hostPort"]);
      if (what === undefined && hostNetwork) {
        field = "containerPort";
        what = sensitive(p["containerPort"]);
      }
      if (what === undefined) continue;
      const port = p[field];
      out.push({
        message: `Container "${c.name}" exposes ${what} port ${show(port)} on the node${field === "containerPort" ? " through hostNetwork" : ""}`,
        container: c.name,
        path: `${c.path}.ports[${j}].${field}`,
        evidence: `${field}: ${show(port)}`,
      });
    }
  }
}

const SERVICE_PORT_FIELDS = ["port", "targetPort", "nodePort"] as const;

function checkService(resource: Resource, out: Violation[]): void {
  const spec = objectIn(resource.object, "spec");
  if (spec === undefined) return;
  const type = spec["type"];
  const externalIPs = arrayIn(spec, "externalIPs");
  const exposure = type === "NodePort" || type === "LoadBalancer" ? `type ${type}` : externalIPs !== undefined && externalIPs.length > 0 ? "externalIPs" : undefined;
  if (exposure === undefined) return;
  const ports = arrayIn(spec, "ports");
  if (ports === undefined) return;
  for (let k = 0; k < ports.length; k++) {
    const p = ports[k];
    if (!isObject(p)) continue;
    for (const field of SERVICE_PORT_FIELDS) {
      const what = sensitive(p[field]);
      if (what === undefined) continue;
      out.push({
        message: `Service "${resource.name}" exposes ${what} port ${show(p[field])} outside the cluster (${exposure})`,
        path: `spec.ports[${k}].${field}`,
        evidence: `${exposure}, ${field}: ${show(p[field])}`,
      });
      break;
    }
  }
}

export const noSensitivePorts: BuiltinPolicy = {
  id: "no-sensitive-ports",
  name: "No exposed sensitive ports",
  description:
    "Remote-administration and control-plane ports (SSH, Telnet, RDP, VNC, WinRM, Docker API, etcd, Kubernetes API, kubelet) must not be exposed through hostPort, hostNetwork, or a NodePort, LoadBalancer or externalIPs Service.",
  rationale: "These services give shell or cluster-level control; reachable from outside the cluster network they are the first thing scanners and intruders try.",
  remediation: "Keep such services internal (ClusterIP), reach them through a bastion, VPN or `kubectl port-forward`, and remove hostPort/hostNetwork.",
  severity: "HIGH",
  category: "Network exposure",
  stages: ["BUILD", "DEPLOY", "RUNTIME"],
  enforcement: "AUDIT",
  mitre: ["T1133", "T1046"],
  threats: ["insecure-configuration"],
  check({ resource }: EvaluationInput): Violation[] {
    const out: Violation[] = [];
    if (resource.podSpec !== undefined) checkPods(resource, resource.podSpec, out);
    else if (resource.kind === "Service") checkService(resource, out);
    return out;
  },
};
