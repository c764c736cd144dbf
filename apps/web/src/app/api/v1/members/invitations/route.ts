import { inviteMember, inviteMemberSchema } from "@bulwark/core";
import { env } from "../../../../../env.ts";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

// The accept link is returned once; only its hash is stored, so it cannot be shown again.
export const POST = route(async (req) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, inviteMemberSchema);
  const inv = await inviteMember(db(), ctx, body);
  const acceptUrl = `${env().NEXTAUTH_URL.replace(/\/+$/, "")}/invite/${inv.token}`;
  return json({ id: inv.id, email: inv.email, role: inv.role, expiresAt: inv.expiresAt, acceptUrl }, { status: 201 });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
