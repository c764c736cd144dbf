// @bulwark/policy: the pure policy engine. Plain data in (resources, image facts, admission request,
// settings), results out; no database, network, environment or clock. See docs/policies.md.
export * from "./types.ts";
export * from "./model/index.ts";
export * from "./cel/index.ts";
export * from "./criteria/index.ts";
export * from "./engine/index.ts";
export * from "./input/index.ts";
export * from "./pss/index.ts";
export * from "./builtins/index.ts";

/** Bumped when evaluation semantics change, so stored results can say which engine produced them. */
export const POLICY_ENGINE_VERSION = "1.0.0";
export * from "./bundle/index.ts";
export * from "./admission/index.ts";
