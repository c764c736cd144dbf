import { exceptionDecisionSchema } from "@bulwark/core";
import { readJson } from "../../../../../server/http.ts";

/** The optional `{ note }` of approve/reject/revoke: a request without a body means no note. */
export async function readDecision(req: Request) {
  if (req.body === null || req.headers.get("content-length") === "0") return {};
  return readJson(req, exceptionDecisionSchema, { maxBytes: 16 * 1024 });
}
