import { type Db } from "@bulwark/db";
import { applyExceptions, compilePolicy, effectiveEnforcement, type EnforcementMode, evaluate, type Violation } from "@bulwark/policy";
import { z } from "zod";
import { readBundleSettings, readPolicyExceptions } from "../bundles/content.ts";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { forEachWorkloadInput } from "../policies/inventory-inputs.ts";

// "What would this policy flag?": a draft definition run against the organization's current inventory
// before anything is saved, so rolling a policy out to ENFORCE never comes as a surprise. Approved
// exceptions waive what they cover, exactly as at admission; the answer is per cluster, with the
// enforcement each cluster would apply.

/** Workloads listed per cluster; the counts always cover all of them. */
export const PREVIEW_WORKLOADS_PER_CLUSTER = 100;

export const previewPolicyImpactSchema = z.strictObject({
  definition: z.unknown().meta({ description: "A policy definition (the same shape as POST /api/v1/policies takes)" }),
});

export interface PreviewWorkload {
  id: string;
  namespace: string;
  kind: string;
  name: string;
  violations: Violation[];
}

export interface PreviewCluster {
  cluster: string;
  enforcement: EnforcementMode;
  evaluated: number;
  failing: number;
  /** Failing workloads whose violations approved exceptions waive entirely. */
  waived: number;
  workloads: PreviewWorkload[];
  truncated: boolean;
}

export interface PolicyImpact {
  policyId: string;
  evaluated: number;
  failing: number;
  waived: number;
  errors: number;
  clusters: PreviewCluster[];
  durationMs: number;
}

export async function previewPolicyImpact(db: Db, ctx: OrgContext, input: unknown): Promise<PolicyImpact> {
  requireRole(ctx, "ADMIN");
  const started = performance.now();
  const parsed = previewPolicyImpactSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const compiled = compilePolicy(parsed.data.definition);
  if (!compiled.ok) {
    throw new AppError("VALIDATION_FAILED", "The policy definition is invalid", {
      fields: compiled.errors.map((e) => ({ path: `definition.${e.path}`, message: e.line !== undefined ? `${e.message} (line ${e.line}, column ${e.column ?? 1})` : e.message })),
    });
  }
  const policy = { ...compiled.policy, disabled: false };
  const now = new Date();
  const [settings, exceptions] = await Promise.all([readBundleSettings(db, ctx.orgId), readPolicyExceptions(db, ctx.orgId, now)]);
  const evalSettings = { ...settings, now: now.toISOString() };

  const byCluster = new Map<string, PreviewCluster>();
  let errors = 0;
  const evaluated = await forEachWorkloadInput(db, ctx.orgId, evalSettings, (w, evalInput) => {
    let entry = byCluster.get(w.cluster);
    if (!entry) {
      entry = { cluster: w.cluster, enforcement: effectiveEnforcement(policy, w.cluster), evaluated: 0, failing: 0, waived: 0, workloads: [], truncated: false };
      byCluster.set(w.cluster, entry);
    }
    entry.evaluated++;
    const raw = evaluate([policy], evalInput);
    const [result] = exceptions.length > 0 ? applyExceptions(raw, exceptions, evalInput) : raw;
    if (!result) return;
    if (result.status === "error") errors++;
    if (result.status === "pass") {
      if ((result.waived?.length ?? 0) > 0) entry.waived++;
      return;
    }
    entry.failing++;
    if (entry.workloads.length < PREVIEW_WORKLOADS_PER_CLUSTER) {
      const violations = result.status === "error" ? [{ message: `could not be evaluated: ${result.error ?? "error"}` }] : result.violations;
      entry.workloads.push({ id: w.id, namespace: w.namespace, kind: w.kind, name: w.name, violations });
    } else {
      entry.truncated = true;
    }
  });
  const clusters = [...byCluster.values()].sort((a, b) => b.failing - a.failing || a.cluster.localeCompare(b.cluster));
  return {
    policyId: policy.id,
    evaluated,
    failing: clusters.reduce((n, c) => n + c.failing, 0),
    waived: clusters.reduce((n, c) => n + c.waived, 0),
    errors,
    clusters,
    durationMs: Math.round(performance.now() - started),
  };
}
