// Pure policy engine: plain data in, results out, no I/O. Filled by the policy engine issue.
export const POLICY_ENGINE_VERSION = "0.0.0";
