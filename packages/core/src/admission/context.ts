import { type Db } from "@bulwark/db";
import { type CompiledPolicy } from "@bulwark/policy";
import { z } from "zod";
import { type OrgContext, type TokenActor } from "../context.ts";
import { AppError } from "../errors.ts";
import { type PolicyInfo } from "./store-decisions.ts";

// Who may speak for a cluster at admission, and which cluster that is.

/** Cluster and enforcement point names, as heartbeats take them. */
export const admissionNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, "Use letters, digits, '.', '_' and '-', starting and ending with a letter or digit");

export function requireEnforcementToken(ctx: OrgContext): TokenActor {
  if (ctx.actor.type !== "token" || !ctx.actor.scopes.includes("enforcement")) {
    throw AppError.forbidden('This needs a token with the "enforcement" scope');
  }
  return ctx.actor;
}

export interface AdmissionCluster {
  id: string | null;
  name: string | null;
}

/**
 * The clusters named by a caller, by name (undefined: none named). A cluster-bound token speaks for
 * its cluster only: naming another is refused, naming none means its own. A name without a Cluster
 * row yet (no inventory so far) keeps its name and no id.
 */
export async function resolveAdmissionClusters(db: Db, ctx: OrgContext, names: ReadonlyArray<string | undefined>): Promise<Map<string | undefined, AdmissionCluster>> {
  const out = new Map<string | undefined, AdmissionCluster>();
  const boundId = ctx.actor.type === "token" ? ctx.actor.clusterId : null;
  if (boundId) {
    const bound = await db.cluster.findFirst({ where: { id: boundId, orgId: ctx.orgId }, select: { id: true, name: true } });
    for (const n of names) {
      if (n !== undefined && bound && n !== bound.name) throw AppError.forbidden("This token is bound to another cluster");
      out.set(n, { id: bound?.id ?? null, name: bound?.name ?? n ?? null });
    }
    return out;
  }
  const wanted = [...new Set(names.filter((n): n is string => n !== undefined))];
  const rows = wanted.length ? await db.cluster.findMany({ where: { orgId: ctx.orgId, name: { in: wanted } }, select: { id: true, name: true } }) : [];
  const ids = new Map(rows.map((r) => [r.name, r.id]));
  for (const n of names) out.set(n, n === undefined ? { id: null, name: null } : { id: ids.get(n) ?? null, name: n });
  return out;
}

export function policyInfo(policies: readonly CompiledPolicy[]): Map<string, PolicyInfo> {
  return new Map(policies.map((p) => [p.id, { name: p.name, description: p.description, remediation: p.remediation, mitre: p.mitre }]));
}
