// Kubernetes AdmissionReview v1 handling lives in @bulwark/policy (admission/), pure, so the central
// endpoint and enforcement points read and answer reviews with the very same code; re-exported here
// for core's callers.
export {
  ADMISSION_API_VERSION,
  ADMISSION_OPERATIONS,
  FAILURE_POLICIES,
  MAX_WARNINGS,
  userInfoSchema,
  admissionReviewSchema,
  reviewUid,
  boundedWarnings,
  admissionResponse,
  failureResponse,
  type FailurePolicy,
  type AdmissionReview,
  type AdmissionReviewRequest,
  type AdmissionReviewResponse,
} from "@bulwark/policy";
