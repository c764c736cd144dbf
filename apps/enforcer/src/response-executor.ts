import { type KubeClient, kubeMessage } from "./kube-client.ts";

// Carries out one response action against the Kubernetes API and says how it went, in the terms
// central records: SUCCEEDED, FAILED (with the API's status and message) or SKIPPED (not configured
// to act, or the target is already gone: a 404 means there is nothing left to delete or scale).

export const RESPONSE_MODES = ["off", "report", "execute"] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

/** An action as GET /api/v1/enforcement/actions returns it. */
export interface ResponseAction {
  id: string;
  action: string;
  namespace: string;
  kind: string;
  name: string;
  pod: string | null;
  policy: string;
  reason: string;
}

export interface ActionOutcome {
  status: "SUCCEEDED" | "FAILED" | "SKIPPED";
  message: string;
}

/** The scale subresources SCALE_TO_ZERO patches (apps/v1). */
export const SCALE_RESOURCES: Readonly<Record<string, string>> = { Deployment: "deployments", StatefulSet: "statefulsets", ReplicaSet: "replicasets" };

// DNS-1123 names: anything else could not be a pod or workload, and must never reach a URL path.
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const MAX_MESSAGE = 2000;

const clip = (s: string) => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s);

interface Call {
  method: "DELETE" | "PATCH";
  path: string;
  body?: { contentType: string; json: unknown };
  done: string;
}

/** The request an action needs, or why it cannot be carried out. */
export function callFor(a: ResponseAction): Call | { invalid: string } {
  if (!DNS_NAME.test(a.namespace)) return { invalid: `invalid namespace "${a.namespace.slice(0, 100)}"` };
  const ns = encodeURIComponent(a.namespace);
  if (a.action === "DELETE_POD") {
    if (!a.pod || !DNS_NAME.test(a.pod)) return { invalid: `invalid pod name "${(a.pod ?? "").slice(0, 100)}"` };
    return { method: "DELETE", path: `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(a.pod)}`, done: `deleted pod ${a.namespace}/${a.pod}` };
  }
  if (a.action === "SCALE_TO_ZERO") {
    const resource = SCALE_RESOURCES[a.kind];
    if (!resource) return { invalid: `cannot scale a ${a.kind.slice(0, 50)}` };
    if (!DNS_NAME.test(a.name)) return { invalid: `invalid name "${a.name.slice(0, 100)}"` };
    return {
      method: "PATCH",
      path: `/apis/apps/v1/namespaces/${ns}/${resource}/${encodeURIComponent(a.name)}/scale`,
      body: { contentType: "application/merge-patch+json", json: { spec: { replicas: 0 } } },
      done: `scaled ${resource} ${a.namespace}/${a.name} to 0 replicas`,
    };
  }
  return { invalid: `unknown action ${a.action.slice(0, 50)}` };
}

export class ResponseExecutor {
  constructor(
    private readonly mode: ResponseMode,
    private readonly kube: KubeClient | null,
  ) {}

  async execute(a: ResponseAction): Promise<ActionOutcome> {
    const call = callFor(a);
    if ("invalid" in call) return { status: "FAILED", message: `not carried out: ${call.invalid}` };
    if (this.mode !== "execute" || !this.kube) return { status: "SKIPPED", message: `not configured to act (BULWARK_RESPONSE_ACTIONS=${this.mode}); would have: ${call.method} ${call.path}` };
    let answer;
    try {
      answer = await this.kube.request(call.method, call.path, call.body);
    } catch (err) {
      return { status: "FAILED", message: clip(`Kubernetes API unreachable: ${(err as Error).message}`) };
    }
    if (answer.status >= 200 && answer.status < 300) return { status: "SUCCEEDED", message: call.done };
    if (answer.status === 404) return { status: "SKIPPED", message: clip(`target no longer exists (${kubeMessage(answer)})`) };
    return { status: "FAILED", message: clip(`HTTP ${answer.status}: ${kubeMessage(answer)}`) };
  }
}
