// The reference enforcement point (admission webhook). main.ts runs it; the rest is importable for tests and benches.
export { ENFORCER_VERSION } from "./version.ts";
export { createEnforcer, type Enforcer, type EnforcerDeps } from "./enforcer.ts";
export { parseEnforcerEnv, type EnforcerConfig } from "./env.ts";
