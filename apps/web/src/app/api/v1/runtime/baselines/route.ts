import { listProcessBaselines } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

// Process baselines, most recently changed first: any member, or a token with "read".
export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: "read" });
  const query = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  return json(await listProcessBaselines(db(), ctx, query));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
