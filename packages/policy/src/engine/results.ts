import type { Violation } from "../types.ts";

// What evaluating one resource against one policy yields.

/** pass: no (unwaived) violation; fail: at least one; error: the check could not run on this resource. */
export type PolicyStatus = "pass" | "fail" | "error";

export interface WaivedViolation extends Violation {
  /** The exception that waived it (its `id`, or its index in the list when it has none). */
  exception: string;
}

export interface PolicyResult {
  policyId: string;
  status: PolicyStatus;
  /** status === "pass". */
  passed: boolean;
  violations: Violation[];
  /** Violations an exception waived; they do not count toward status. */
  waived?: WaivedViolation[];
  /** For status "error": why (e.g. a CEL runtime error such as a missing key). */
  error?: string;
}
