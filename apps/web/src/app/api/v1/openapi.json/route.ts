import { methodNotAllowed, route } from "../../../../server/http.ts";
import { openApiDocument } from "../../../../server/openapi.ts";

// Public: the description holds no data, and clients fetch it before they have a token.
export const GET = route(async () => Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }));

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
