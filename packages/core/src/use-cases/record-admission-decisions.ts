import { type Db } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { AppError, isUniqueViolation } from "../errors.ts";
import { admissionNameSchema, policyInfo, requireEnforcementToken, resolveAdmissionClusters } from "../admission/context.ts";
import { ADMISSION_OPERATIONS, userInfoSchema } from "../admission/review.ts";
import { type DecisionToStore, storeAdmissionDecisions, type StoredDecisions } from "../admission/store-decisions.ts";
import { loadPolicySet } from "./load-policy-set.ts";

// Enforcement points (apps/enforcer) decide admissions themselves from their bundle and report the
// decisions in batches. Each is stored once per (enforcement point, request uid), so a batch re-sent
// after a timeout stores nothing twice; denied and warned ones become findings exactly as the central
// webhook's do (same function).

export const MAX_DECISIONS_PER_BATCH = 1000;

const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"] as const;

const violationSchema = z.strictObject({
  policy: z.string().min(1).max(100),
  severity: z.enum(SEVERITIES),
  message: z.string().max(2000),
  container: z.string().max(253).optional(),
  path: z.string().max(1000).optional(),
});

const decisionSchema = z.strictObject({
  uid: z.string().min(1).max(200).meta({ description: "The AdmissionReview request uid" }),
  cluster: admissionNameSchema.optional().meta({ description: "Defaults to the token's or the enforcement point's cluster" }),
  namespace: z.string().max(253).default("").meta({ description: "Empty for cluster-scoped resources" }),
  kind: z.string().min(1).max(253).meta({ example: "Deployment" }),
  name: z.string().max(253),
  operation: z.enum(ADMISSION_OPERATIONS),
  allowed: z.boolean(),
  warned: z.boolean().default(false),
  policies: z.array(z.string().min(1).max(100)).max(500).default([]).meta({ description: "Keys of the policies that failed" }),
  message: z.string().max(4000).optional(),
  userInfo: userInfoSchema,
  decidedAt: z.iso.datetime({ offset: true }),
  violations: z.array(violationSchema).max(500).default([]).meta({ description: "Violations of the denying and warning policies; each policy becomes a finding" }),
  dryRun: z.boolean().optional().meta({ description: "Dry runs are accepted but not stored" }),
  breakGlass: z
    .strictObject({
      reason: z.string().trim().min(1).max(500),
      expiresAt: z.iso.datetime({ offset: true }),
      policies: z.array(z.string().min(1).max(100)).max(500).meta({ description: "The policies that would have denied" }),
    })
    .optional()
    .meta({ description: "Set when a break-glass annotation allowed the object past denying policies (written to the audit log)" }),
});

export const admissionDecisionBatchSchema = z.strictObject({
  enforcementPoint: admissionNameSchema.meta({ description: "The reporting enforcement point's name (created if missing)", example: "prod-eu-1-enforcer" }),
  decisions: z.array(decisionSchema).min(1).max(MAX_DECISIONS_PER_BATCH),
});

export interface RecordedDecisions extends StoredDecisions {
  enforcementPoint: { id: string; name: string };
  received: number;
  /** Dry runs, accepted and not stored. */
  skipped: number;
}

async function ensurePoint(db: Db, orgId: string, name: string, tokenId: string, boundClusterId: string | null) {
  const data = { tokenId, ...(boundClusterId ? { clusterId: boundClusterId } : {}) };
  const upsert = () =>
    db.enforcementPoint.upsert({
      where: { orgId_name: { orgId, name } },
      create: { orgId, name, ...data },
      update: data,
      select: { id: true, name: true, clusterId: true, cluster: { select: { name: true } } },
    });
  try {
    return await upsert();
  } catch (err) {
    // A first heartbeat or batch of the same point raced on the insert; the row exists now.
    if (!isUniqueViolation(err)) throw err;
    return upsert();
  }
}

export async function recordAdmissionDecisions(db: Db, ctx: OrgContext, input: unknown): Promise<RecordedDecisions> {
  const actor = requireEnforcementToken(ctx);
  const parsed = admissionDecisionBatchSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const batch = parsed.data;
  const clusters = await resolveAdmissionClusters(db, ctx, [...new Set(batch.decisions.map((d) => d.cluster))]);
  const point = await ensurePoint(db, ctx.orgId, batch.enforcementPoint, actor.tokenId, actor.clusterId);
  const pointCluster = { id: point.clusterId, name: point.cluster?.name ?? null };

  const live = batch.decisions.filter((d) => d.dryRun !== true);
  const decisions: DecisionToStore[] = live.map((d) => {
    const named = clusters.get(d.cluster);
    const cluster = d.cluster !== undefined || actor.clusterId ? (named ?? pointCluster) : pointCluster;
    return {
      uid: d.uid,
      enforcementPointId: point.id,
      enforcementPoint: point.name,
      clusterId: cluster.id,
      cluster: cluster.name,
      namespace: d.namespace,
      kind: d.kind,
      name: d.name,
      operation: d.operation,
      allowed: d.allowed,
      warned: d.warned,
      policies: d.policies,
      message: d.message ?? null,
      userInfo: { username: d.userInfo.username, groups: d.userInfo.groups, ...(d.userInfo.uid !== undefined ? { uid: d.userInfo.uid } : {}) },
      decidedAt: new Date(d.decidedAt),
      violations: d.violations,
      breakGlass: d.breakGlass ?? null,
    };
  });
  const info = policyInfo((await loadPolicySet(db, ctx.orgId)).compiled);
  const stored = await storeAdmissionDecisions(db, ctx.orgId, decisions, info);
  return {
    enforcementPoint: { id: point.id, name: point.name },
    received: batch.decisions.length,
    skipped: batch.decisions.length - live.length,
    ...stored,
  };
}
