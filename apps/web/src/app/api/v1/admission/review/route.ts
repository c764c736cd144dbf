import { failureResponse, isAppError, reviewAdmission, reviewUid, tooDeepPath } from "@bulwark/core";
import { MAX_REVIEW_BYTES, MAX_REVIEW_DEPTH } from "@bulwark/policy";
import { z } from "zod";
import { queueAlertsInBackground } from "../../../../../server/alerts.ts";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, readJson, route } from "../../../../../server/http.ts";
import { logger } from "../../../../../server/logger.ts";

// The central admission webhook (ValidatingWebhookConfiguration → POST /api/v1/admission/review).
// Only credentials are answered with an error status (401/403); anything else the API server sent,
// however broken, gets a 200 AdmissionReview decided by ?failurePolicy=Ignore|Fail (default Fail).
// No per-token rate limit: a busy cluster's API server sends far more reviews than connectors send
// reports, and a refused review would block or (with failurePolicy Ignore) bypass admission.

// Body bounds shared with apps/enforcer (@bulwark/policy): 8 MiB (an UPDATE carries the object twice),
// 100 levels of nesting.

export const POST = route(async (req) => {
  const ctx = await apiContext(req, { scope: "enforcement" });
  const params = new URL(req.url).searchParams;
  const failurePolicy = params.get("failurePolicy")?.toLowerCase() === "ignore" ? "Ignore" : "Fail";
  const cluster = params.get("cluster") ?? undefined;
  let body: unknown;
  try {
    body = await readJson(req, z.unknown(), { maxBytes: MAX_REVIEW_BYTES });
  } catch (err) {
    if (!isAppError(err)) throw err;
    return json(failureResponse("", failurePolicy, err.message));
  }
  if (tooDeepPath(body, MAX_REVIEW_DEPTH)) {
    return json(failureResponse(reviewUid(body), failurePolicy, `the AdmissionReview is nested deeper than ${MAX_REVIEW_DEPTH} levels`));
  }
  return json(await reviewAdmission(db(), ctx, body, { cluster, failurePolicy, log: logger(), onAlerts: (alerts) => queueAlertsInBackground(ctx.orgId, alerts) }));
});

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
