import type { BuiltinPolicy } from "../types.ts";
import type { PolicyDefinition } from "./schema.ts";

/** A built-in as a policy definition: its metadata with the native check named explicitly (as stored centrally and carried in bundles). */
export function builtinDefinition(b: BuiltinPolicy): PolicyDefinition {
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    rationale: b.rationale,
    remediation: b.remediation,
    severity: b.severity,
    category: b.category,
    stages: [...b.stages],
    enforcement: b.enforcement,
    mitre: [...b.mitre],
    threats: [...b.threats],
    rule: { type: "builtin", id: b.id },
  };
}
