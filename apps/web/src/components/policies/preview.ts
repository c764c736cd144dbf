import { z } from "zod";

// Client side of the impact preview: POST /api/v1/policies/preview with the draft definition, which
// the server evaluates against the organization's current inventory. The response is parsed rather
// than trusted so an unexpected body is a readable error instead of a crashed panel.

export const PREVIEW_URL = "/api/v1/policies/preview";

const violation = z.object({ message: z.string(), container: z.string().nullish(), path: z.string().nullish(), evidence: z.string().nullish() });
const workload = z.object({
  id: z.string(),
  namespace: z.string().nullish(),
  kind: z.string(),
  name: z.string(),
  violations: z.array(violation),
});
const cluster = z.object({
  cluster: z.string(),
  /** The policy's effective mode in this cluster (per-cluster override or its default). */
  enforcement: z.string().optional(),
  evaluated: z.number(),
  failing: z.number(),
  /** Failing workloads whose violations approved exceptions waive entirely. */
  waived: z.number().optional(),
  workloads: z.array(workload),
  truncated: z.boolean().optional(),
});
export const previewResultSchema = z.object({
  policyId: z.string(),
  evaluated: z.number(),
  failing: z.number(),
  waived: z.number().optional(),
  /** Workloads the draft could not evaluate (a runtime error in its rule). */
  errors: z.number().optional(),
  durationMs: z.number(),
  clusters: z.array(cluster),
});

export type PreviewResult = z.infer<typeof previewResultSchema>;
export type PreviewCluster = z.infer<typeof cluster>;
export type PreviewOutcome = { ok: true; result: PreviewResult } | { ok: false; error: string; fields: { path: string; message: string }[] };

const problem = z.object({ detail: z.string().optional(), title: z.string().optional(), fields: z.array(z.object({ path: z.string(), message: z.string() })).optional() });

export function readPreviewResponse(status: number, body: unknown): PreviewOutcome {
  if (status >= 200 && status < 300) {
    const parsed = previewResultSchema.safeParse(body);
    return parsed.success ? { ok: true, result: parsed.data } : { ok: false, error: "The server answered with an unexpected preview format.", fields: [] };
  }
  if (status === 404 || status === 405) return { ok: false, error: "Impact preview is not available on this server yet.", fields: [] };
  const p = problem.safeParse(body);
  const detail = p.success ? (p.data.detail ?? p.data.title) : undefined;
  const fields = p.success ? (p.data.fields ?? []) : [];
  if (status === 401) return { ok: false, error: "Your session has ended; sign in again.", fields };
  if (status === 403) return { ok: false, error: detail ?? "Only administrators can preview a policy's impact.", fields };
  if (status === 429) return { ok: false, error: detail ?? "Too many previews at once; try again in a moment.", fields };
  if (status >= 500) return { ok: false, error: "The preview failed on the server. Please try again.", fields: [] };
  return { ok: false, error: detail ?? `The preview was refused (HTTP ${status}).`, fields };
}

export async function requestPreview(definition: unknown, signal?: AbortSignal): Promise<PreviewOutcome> {
  let res: Response;
  try {
    res = await fetch(PREVIEW_URL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, application/problem+json" },
      body: JSON.stringify({ definition }),
      credentials: "same-origin",
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    return { ok: false, error: "Could not reach the server.", fields: [] };
  }
  const body: unknown = await res.json().catch(() => null);
  return readPreviewResponse(res.status, body);
}
