import { connectorFor } from "../../../../../server/connector.ts";
import { methodNotAllowed, route } from "../../../../../server/http.ts";

// `trivy image -f json` output (SchemaVersion 2), posted as-is.
export const POST = route(async (req) => connectorFor(req, "TRIVY", null));

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
