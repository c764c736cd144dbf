import { addAllowedDeployer, allowedDeployerInputSchema, listAllowedDeployers } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";

const MAX_BODY_BYTES = 16 * 1024;

// Who may deploy into which namespace (the unauthorized-deployer policy, T1610). Reading needs
// membership or a token with policy:read; changes need an ADMIN session (the use cases check).
export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: null });
  return json({ items: await listAllowedDeployers(db(), ctx) });
});

export const POST = route(async (req) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, allowedDeployerInputSchema, { maxBytes: MAX_BODY_BYTES });
  const created = await addAllowedDeployer(db(), ctx, body);
  return json(created, { status: 201, headers: { location: `/api/v1/settings/allowed-deployers/${created.id}` } });
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
