import { type Role } from "@bulwark/db";
import { AppError } from "./errors.ts";
import { hasRole } from "./roles.ts";

// Who is calling, inside which organization. Every use case takes one; every query filters by orgId.

export interface UserActor {
  type: "user";
  userId: string;
  email: string;
  role: Role;
}

export interface TokenActor {
  type: "token";
  tokenId: string;
  name: string;
  scopes: string[];
  clusterId: string | null;
  registryId: string | null;
}

export type Actor = UserActor | TokenActor;

export interface OrgContext {
  orgId: string;
  actor: Actor;
  /** Client address, for the audit log. */
  ip?: string | null;
}

export function actorLabel(actor: Actor): string {
  return actor.type === "user" ? actor.email : `token:${actor.name}`;
}

/** Users need at least `role`; tokens are never enough for user actions. */
export function requireRole(ctx: OrgContext, role: Role): UserActor {
  if (ctx.actor.type !== "user") throw AppError.forbidden("This action needs a signed-in user");
  if (!hasRole(ctx.actor.role, role)) throw AppError.forbidden(`This action needs the ${role} role or higher`);
  return ctx.actor;
}

/** Read access: any member, or a token with the given scope. */
export function requireReader(ctx: OrgContext, tokenScope = "read"): void {
  if (ctx.actor.type === "token" && !ctx.actor.scopes.includes(tokenScope)) {
    throw AppError.forbidden(`This token lacks the "${tokenScope}" scope`);
  }
}
