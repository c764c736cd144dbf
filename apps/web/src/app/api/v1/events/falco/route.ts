import { connectorFor } from "../../../../../server/connector.ts";
import { methodNotAllowed, route } from "../../../../../server/http.ts";

// One Falco event or an array of them, as falcosidekick's webhook output sends them.
export const POST = route(async (req) => connectorFor(req, "FALCO", null, "events"));

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
