import { getImageDetail } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";

type Ctx = { params: Promise<{ id: string }> };

// ?packageQ=&packageCursor=&packageLimit= page the packages. Another organization's id is a 404.
export const GET = route<Ctx>(async (req, { params }) => {
  const ctx = await apiContext(req, { scope: "read" });
  const { id } = await params;
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return json(await getImageDetail(db(), ctx, id, query));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
