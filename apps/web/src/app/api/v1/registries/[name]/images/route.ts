import { connectorFor, parseName } from "../../../../../../server/connector.ts";
import { methodNotAllowed, route } from "../../../../../../server/http.ts";

type Ctx = { params: Promise<{ name: string }> };

export const POST = route<Ctx>(async (req, { params }) => {
  const { name } = await params;
  return connectorFor(req, "REGISTRY", () => parseName(name, "name"));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
