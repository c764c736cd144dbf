// Reference admission webhook (an enforcement point). Filled by the central policy management issue.
export const ENFORCER_VERSION = "0.0.0";
