// Copy-paste setup for a freshly created token. Pure functions of (base URL, token, cluster), so the
// texts are unit-tested and the page stays a renderer.

export interface SnippetInput {
  baseUrl: string;
  token: string;
  /** The bound cluster, or a placeholder name when the token is not bound. */
  cluster: string | null;
}

export interface Snippet {
  id: string;
  title: string;
  description: string;
  text: string;
}

const KUBECTL_KINDS = "ns,pods,deploy,rs,sts,ds,jobs,cronjobs,svc,nodes";

/** Single-quoted for POSIX shells: nothing inside is expanded. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

export function trimBase(url: string): string {
  return url.replace(/\/+$/, "");
}

export function curlInventory({ baseUrl, token, cluster }: SnippetInput): string {
  const name = cluster ?? "my-cluster";
  return [
    `kubectl get ${KUBECTL_KINDS} -A -o json \\`,
    `  | curl -sS --fail-with-body -X PUT \\`,
    `      -H ${shellQuote(`Authorization: Bearer ${token}`)} \\`,
    `      -H 'Content-Type: application/json' \\`,
    `      --data-binary @- \\`,
    `      ${shellQuote(`${trimBase(baseUrl)}/api/v1/clusters/${name}/inventory`)}`,
  ].join("\n");
}

export function curlTrivy({ baseUrl, token }: SnippetInput): string {
  return [
    `trivy image -f json --scanners vuln,misconfig,secret nginx:1.27 \\`,
    `  | curl -sS --fail-with-body -X POST \\`,
    `      -H ${shellQuote(`Authorization: Bearer ${token}`)} \\`,
    `      -H 'Content-Type: application/json' \\`,
    `      --data-binary @- \\`,
    `      ${shellQuote(`${trimBase(baseUrl)}/api/v1/reports/trivy`)}`,
  ].join("\n");
}

export function cliInventory({ baseUrl, token, cluster }: SnippetInput): string {
  return [
    `export BULWARK_URL=${shellQuote(trimBase(baseUrl))}`,
    `export BULWARK_TOKEN=${shellQuote(token)}`,
    `kubectl get ${KUBECTL_KINDS} -A -o json | bulwark connect inventory --cluster ${cluster ?? "my-cluster"} -`,
    `trivy image -f json nginx:1.27 > scan.json && bulwark connect trivy scan.json`,
  ].join("\n");
}

/** A CronJob that sends the inventory every 15 minutes with a read-only service account. */
export function cronJobYaml({ baseUrl, token, cluster }: SnippetInput): string {
  const name = cluster ?? "my-cluster";
  const url = `${trimBase(baseUrl)}/api/v1/clusters/${name}/inventory`;
  return `apiVersion: v1
kind: Namespace
metadata:
  name: bulwark
---
apiVersion: v1
kind: Secret
metadata:
  name: bulwark-token
  namespace: bulwark
type: Opaque
stringData:
  token: ${JSON.stringify(token)}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: bulwark-inventory
  namespace: bulwark
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: bulwark-inventory-read
rules:
  - apiGroups: [""]
    resources: [namespaces, pods, services, nodes]
    verbs: [get, list]
  - apiGroups: [apps]
    resources: [deployments, replicasets, statefulsets, daemonsets]
    verbs: [get, list]
  - apiGroups: [batch]
    resources: [jobs, cronjobs]
    verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: bulwark-inventory-read
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: bulwark-inventory-read
subjects:
  - kind: ServiceAccount
    name: bulwark-inventory
    namespace: bulwark
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: bulwark-inventory
  namespace: bulwark
spec:
  schedule: "*/15 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          serviceAccountName: bulwark-inventory
          restartPolicy: Never
          containers:
            - name: inventory
              image: bitnami/kubectl:latest
              env:
                - name: BULWARK_TOKEN
                  valueFrom:
                    secretKeyRef: { name: bulwark-token, key: token }
              command: ["/bin/sh", "-c"]
              args:
                - >-
                  kubectl get ${KUBECTL_KINDS} -A -o json
                  | curl -sS --fail-with-body -X PUT
                  -H "Authorization: Bearer $BULWARK_TOKEN"
                  -H "Content-Type: application/json"
                  --data-binary @- ${JSON.stringify(url)}
`;
}

export function setupSnippets(input: SnippetInput): Snippet[] {
  return [
    { id: "curl-inventory", title: "Cluster inventory with curl", description: "Run where kubectl points at the cluster. Each run is a full snapshot.", text: curlInventory(input) },
    { id: "curl-trivy", title: "Trivy image scan with curl", description: "Vulnerabilities, misconfigurations and secrets of one image (SchemaVersion 2 JSON).", text: curlTrivy(input) },
    { id: "cronjob", title: "Kubernetes CronJob", description: "Sends the inventory every 15 minutes using a read-only service account. The token lives in a Secret.", text: cronJobYaml(input) },
    { id: "cli", title: "Bulwark CLI", description: "The same reports with the bulwark CLI; URL and token come from the environment.", text: cliInventory(input) },
  ];
}
