import { notFoundRoute } from "../../../server/http.ts";

// Any /api path without a route of its own: a problem+json 404 for every method, never an HTML page.
export { notFoundRoute as GET, notFoundRoute as POST, notFoundRoute as PUT, notFoundRoute as PATCH, notFoundRoute as DELETE };
