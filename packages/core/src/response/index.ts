// Runtime response (docs/enforcer.md "Runtime response actions"): policies with a `response` ask the
// enforcement point of a workload's cluster to delete a pod or scale a workload to zero.
export { createResponseActions, MAX_NEW_ACTIONS_PER_CALL, RESPONSE_COOLDOWN_MS, type CreatedActions } from "./create-actions.ts";
export { hasResponse, requestPostureResponses, type PostureResponseCandidate } from "./posture.ts";
export { requestRuntimeResponses } from "./runtime.ts";
export { enqueueRuntimeResponses, responseJobs, runtimeResponseJob } from "./queue-responses.ts";
export { activeResponse, postureTarget, runtimeTarget, SCALABLE_KINDS, type ResponseRequest, type ResponseTarget } from "./targets.ts";
export { ACTION_STATUSES, CLAIM_TIMEOUT_MS, RESULT_STATUSES, resultSchema as enforcementActionResultSchema, type ClaimedAction, type ResponseActionView } from "./view.ts";
export * from "../use-cases/claim-enforcement-actions.ts";
export * from "../use-cases/report-enforcement-action-result.ts";
export * from "../use-cases/list-response-actions.ts";
export * from "../use-cases/cancel-response-action.ts";
