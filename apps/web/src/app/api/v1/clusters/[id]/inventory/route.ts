import { connectorFor, parseName } from "../../../../../../server/connector.ts";
import { methodNotAllowed, route } from "../../../../../../server/http.ts";

// The segment is named [id] because GET /clusters/{id} shares the folder; here it carries the cluster
// name the connector reports for (the cluster is created on its first inventory).
type Ctx = { params: Promise<{ id: string }> };

export const PUT = route<Ctx>(async (req, { params }) => {
  const { id } = await params;
  return connectorFor(req, "INVENTORY", () => parseName(id, "name"));
});

export const { GET, POST, PATCH, DELETE } = methodNotAllowed("PUT");
