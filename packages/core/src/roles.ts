import { type Role } from "@bulwark/db";

export const ROLES = ["OWNER", "ADMIN", "ANALYST", "VIEWER"] as const satisfies readonly Role[];

const RANK: Record<Role, number> = { OWNER: 4, ADMIN: 3, ANALYST: 2, VIEWER: 1 };

export function hasRole(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}

export function outranks(role: Role, other: Role): boolean {
  return RANK[role] > RANK[other];
}
