// An inventory with three postures in namespace "shop": a privileged pod, a restricted-compliant one and
// a plain (baseline) one, in the Kubernetes List shape the connector sends.

export const RESTRICTED_POD = {
  securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
  automountServiceAccountToken: false,
  containers: [
    {
      name: "api",
      image: "ghcr.io/acme/api@sha256:1111111111111111111111111111111111111111111111111111111111111111",
      resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
    },
  ],
};

export const PRIVILEGED_POD = {
  containers: [{ name: "agent", image: "ghcr.io/acme/agent:1.0", securityContext: { privileged: true } }],
};

export const BASELINE_POD = {
  containers: [{ name: "web", image: "nginx:1.27" }],
};

export function deployment(name: string, podSpec: unknown, namespace = "shop") {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, uid: `uid-${name}`, labels: { app: name } },
    spec: { replicas: 1, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}

export function inventory(pods: Record<string, unknown>, namespace = "shop") {
  return {
    apiVersion: "v1",
    kind: "List",
    items: [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, uid: `ns-${namespace}` } },
      ...Object.entries(pods).map(([name, spec]) => deployment(name, spec, namespace)),
    ],
  };
}
