import { acceptInvitation, acceptInvitationSchema } from "@bulwark/core";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

// Public: the invitation secret in the body is the credential.
export const POST = route(async (req) => {
  const body = await readJson(req, acceptInvitationSchema);
  const { email, orgId } = await acceptInvitation(db(), body);
  return json({ email, orgId, signInUrl: "/signin" });
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
