import { type Db, type EnforcementPoint } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../errors.ts";

// An enforcement point (admission webhook) says it is alive and which bundle version it runs. One
// EnforcementPoint per (organization, name), created by its first heartbeat. A token bound to a
// cluster ties the point to that cluster and may not claim another.

const name = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, "Use letters, digits, '.', '_' and '-', starting and ending with a letter or digit");

export const enforcementHeartbeatSchema = z.strictObject({
  name: name.meta({ description: "The enforcement point's stable name, e.g. prod-eu-1/bulwark-enforcer", example: "prod-eu-1-enforcer" }),
  agentVersion: z.string().trim().min(1).max(100).meta({ example: "0.1.0" }),
  bundleVersion: z.number().int().min(0).nullable().meta({ description: "Version of the bundle it enforces; null before its first bundle" }),
  cluster: name.optional().meta({ description: "Name of the cluster it guards (a cluster-bound token sets it)" }),
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

async function resolveClusterId(db: Db, ctx: OrgContext, cluster: string | undefined): Promise<string | null> {
  if (ctx.actor.type !== "token") return null;
  if (ctx.actor.clusterId) {
    if (cluster !== undefined) {
      const bound = await db.cluster.findFirst({ where: { id: ctx.actor.clusterId, orgId: ctx.orgId }, select: { name: true } });
      if (bound && bound.name !== cluster) throw AppError.forbidden("This token is bound to another cluster");
    }
    return ctx.actor.clusterId;
  }
  if (cluster === undefined) return null;
  // A point may start before the cluster's first inventory; it is linked by a later heartbeat.
  const found = await db.cluster.findFirst({ where: { orgId: ctx.orgId, name: cluster }, select: { id: true } });
  return found?.id ?? null;
}

export async function recordEnforcementHeartbeat(db: Db, ctx: OrgContext, input: unknown): Promise<EnforcementPointView> {
  if (ctx.actor.type !== "token" || !ctx.actor.scopes.includes("enforcement")) {
    throw AppError.forbidden('Heartbeats need a token with the "enforcement" scope');
  }
  const parsed = enforcementHeartbeatSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const hb = parsed.data;
  const clusterId = await resolveClusterId(db, ctx, hb.cluster);
  const data = { agentVersion: hb.agentVersion, bundleVersion: hb.bundleVersion, tokenId: ctx.actor.tokenId, lastHeartbeatAt: new Date(), ...(clusterId ? { clusterId } : {}) };
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
