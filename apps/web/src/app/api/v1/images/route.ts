import { listImages } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../server/http.ts";

// ?registry=&q=&fixableCritical=&signature=&malware=&running=&sort=repository|critical|findings|lastSeen|lastScanned&dir=&cursor=&limit=
// Any member, or a token with "read"; the same parameters as the /images page.
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  const query = Object.fromEntries(new URL(req.url).searchParams);
  return json(await listImages(db(), ctx, query));
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
