// Pod Security Standards (baseline / restricted), evaluated like k8s.io/pod-security-admission.
export { evaluatePss, isPssLevel, parsePssVersion, PSS_LEVELS, type PssFailedCheck, type PssPod, type PssResult } from "./evaluate.ts";
export { pssActiveCheckIds, pssOverrides, PSS_CHECKS, PSS_LATEST_MINOR, type PssCheckId, type PssCheckInfo, type PssLevel } from "./registry.ts";
