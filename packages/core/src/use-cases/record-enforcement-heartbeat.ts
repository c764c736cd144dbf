import { type Db, type EnforcementPoint } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { admissionNameSchema, requireEnforcementToken, resolveAdmissionClusters } from "../admission/context.ts";
import { AppError, isUniqueViolation } from "../errors.ts";

// An enforcement point (admission webhook) says it is alive and which bundle version it runs. One
// EnforcementPoint per (organization, name), created by its first heartbeat. A token bound to a
// cluster ties the point to that cluster and may not claim another.

const name = admissionNameSchema;

export const enforcementHeartbeatSchema = z.strictObject({
  name: name.meta({ description: "The enforcement point's stable name, e.g. prod-eu-1/bulwark-enforcer", example: "prod-eu-1-enforcer" }),
  agentVersion: z.string().trim().min(1).max(100).meta({ example: "0.1.0" }),
  bundleVersion: z.number().int().min(0).nullable().meta({ description: "Version of the bundle it enforces; null before its first bundle" }),
  cluster: name.optional().meta({ description: "Name of the cluster it guards (a cluster-bound token sets it)" }),
  excludedNamespaces: z
    .array(z.string().trim().min(1).max(63))
    .max(200)
    .optional()
    .meta({ description: "Namespaces its webhook configuration leaves out: workloads there are not expected to have admission decisions" }),
});

export type EnforcementHeartbeat = z.infer<typeof enforcementHeartbeatSchema>;

export interface EnforcementPointView {
  id: string;
  name: string;
  clusterId: string | null;
  agentVersion: string | null;
  bundleVersion: number | null;
  lastHeartbeatAt: Date | null;
}

function view(p: EnforcementPoint): EnforcementPointView {
  return { id: p.id, name: p.name, clusterId: p.clusterId, agentVersion: p.agentVersion, bundleVersion: p.bundleVersion, lastHeartbeatAt: p.lastHeartbeatAt };
}

export async function recordEnforcementHeartbeat(db: Db, ctx: OrgContext, input: unknown): Promise<EnforcementPointView> {
  const actor = requireEnforcementToken(ctx);
  const parsed = enforcementHeartbeatSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const hb = parsed.data;
  // A point may start before the cluster's first inventory; a later heartbeat links it then.
  const clusterId = (await resolveAdmissionClusters(db, ctx, [hb.cluster])).get(hb.cluster)?.id ?? null;
  const data = {
    agentVersion: hb.agentVersion,
    bundleVersion: hb.bundleVersion,
    tokenId: actor.tokenId,
    lastHeartbeatAt: new Date(),
    ...(clusterId ? { clusterId } : {}),
    ...(hb.excludedNamespaces ? { excludedNamespaces: [...new Set(hb.excludedNamespaces)].sort() } : {}),
  };
  const upsert = () =>
    db.enforcementPoint.upsert({
      where: { orgId_name: { orgId: ctx.orgId, name: hb.name } },
      create: { orgId: ctx.orgId, name: hb.name, ...data },
      update: data,
    });
  try {
    return view(await upsert());
  } catch (err) {
    // Two first heartbeats of one point raced on the insert; the row exists now.
    if (!isUniqueViolation(err)) throw err;
    return view(await upsert());
  }
}
