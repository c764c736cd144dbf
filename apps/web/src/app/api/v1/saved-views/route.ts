import { AppError, createSavedView, createSavedViewSchema, listSavedViews } from "@bulwark/core";
import { z } from "zod";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../server/http.ts";

const MAX_BODY_BYTES = 8 * 1024;
const listQuery = z.object({ page: z.enum(["findings"]).default("findings") });

// ?page=findings — the caller's views and the organization's shared ones.
export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: "read" });
  const parsed = listQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  return json({ items: await listSavedViews(db(), ctx, parsed.data.page) });
});

// Signed-in members (sharing needs ANALYST+); the query is validated by the page's parser.
export const POST = route(async (req) => {
  const ctx = await apiContext(req, { scope: null });
  const body = await readJson(req, createSavedViewSchema, { maxBytes: MAX_BODY_BYTES });
  const view = await createSavedView(db(), ctx, body);
  return json(view, { status: 201, headers: { location: `/api/v1/saved-views/${view.id}` } });
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
