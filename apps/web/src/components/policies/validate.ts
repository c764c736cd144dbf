import { compilePolicy, type PolicyCompileError } from "@bulwark/policy";

// Live validation of an editor draft with the engine. compilePolicy stops at the first stage that
// fails: while the key or name is still empty (a schema error) it would never look at the rule, and a
// CEL typo would stay hidden until the metadata is filled in. So the rule, scope and exclusions are
// also compiled on their own, under placeholder metadata, and their errors are added.

const PROBE_METADATA = { id: "draft", name: "draft", severity: "LOW" } as const;

const key = (e: PolicyCompileError) => `${e.path}\u0000${e.message}`;

export function draftErrors(draft: Record<string, unknown>): PolicyCompileError[] {
  const full = compilePolicy(draft);
  if (full.ok) return [];
  const probe = compilePolicy({
    ...PROBE_METADATA,
    ...(draft.rule !== undefined ? { rule: draft.rule } : {}),
    ...(draft.scope !== undefined ? { scope: draft.scope } : {}),
    ...(draft.exclusions !== undefined ? { exclusions: draft.exclusions } : {}),
  });
  if (probe.ok) return full.errors;
  const seen = new Set(full.errors.map(key));
  return [...full.errors, ...probe.errors.filter((e) => !seen.has(key(e)))];
}
