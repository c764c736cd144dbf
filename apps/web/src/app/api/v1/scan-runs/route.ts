import { listScanRuns, startRescan, startRescanSchema } from "@bulwark/core";
import { apiContext } from "../../../../server/api-context.ts";
import { db } from "../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../server/http.ts";
import { queue } from "../../../../server/queue.ts";

// Vulnerability re-match runs: scheduled full runs, delta runs after advisory changes, and on-demand
// runs of the organization, one image or one cluster (ANALYST+), whose progress the UI polls.
export const GET = route(async (req) => {
  const ctx = await apiContext(req);
  return json({ items: await listScanRuns(db(), ctx, Object.fromEntries(new URL(req.url).searchParams)) });
});

export const POST = route(async (req) => {
  const ctx = await apiContext(req);
  const body = await readJson(req, startRescanSchema, { maxBytes: 4 * 1024 });
  const run = await startRescan(db(), await queue(), ctx, body);
  return json(run, { status: 202, headers: { location: `/api/v1/scan-runs/${run.id}` } });
});

export const { PUT, PATCH, DELETE } = methodNotAllowed("GET", "POST");
