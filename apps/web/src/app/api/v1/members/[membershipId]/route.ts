import { changeMemberRole, changeMemberRoleSchema, removeMember } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

type Ctx = { params: Promise<{ membershipId: string }> };

export const PATCH = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, changeMemberRoleSchema);
  const { membershipId } = await params;
  return json(await changeMemberRole(db(), ctx, membershipId, body));
});

export const DELETE = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req);
  const { membershipId } = await params;
  return json(await removeMember(db(), ctx, membershipId));
});

export const { GET, POST, PUT } = methodNotAllowed("PATCH", "DELETE");
