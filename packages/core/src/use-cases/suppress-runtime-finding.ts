import { type Db } from "@bulwark/db";
import { z } from "zod";
import { type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { type ExceptionScope, exceptionScopeSchema } from "../exceptions/scope.ts";
import { hasRole } from "../roles.ts";
import { approveException } from "./approve-exception.ts";
import { getRuntimeFinding, type RuntimeFindingDetail } from "./get-runtime-finding.ts";
import { MAX_EXCEPTION_REASON, requestException } from "./request-exception.ts";

// Runtime noise control from the Runtime page: an expiring exception for this aggregate's rule in a
// place chosen from presets, through the ordinary exception use cases (requested by an ANALYST,
// approved at once when the caller may approve). Runtime suppressions always expire: a rule silenced
// for good is a detection nobody looks at again.

export const SUPPRESSION_PRESETS = ["workload", "namespace", "image"] as const;
export type SuppressionPreset = (typeof SUPPRESSION_PRESETS)[number];
export const MAX_SUPPRESSION_DAYS = 90;
export const DEFAULT_SUPPRESSION_DAYS = 7;
const DAY_MS = 24 * 3600 * 1000;

export const suppressRuntimeFindingSchema = z.strictObject({
  preset: z.enum(SUPPRESSION_PRESETS).meta({ description: "workload: this rule in this workload; namespace: in this namespace; image: for this image repository (each within the cluster)" }),
  reason: z.string().trim().min(1, "Give the reason").max(MAX_EXCEPTION_REASON),
  expiresInDays: z.coerce.number().int().min(1).max(MAX_SUPPRESSION_DAYS).default(DEFAULT_SUPPRESSION_DAYS),
  kind: z.enum(["RISK_ACCEPTED", "FALSE_POSITIVE"]).default("RISK_ACCEPTED"),
});

export interface SuppressionOption {
  preset: SuppressionPreset;
  label: string;
  /** The exception scope the preset asks for; null when the aggregate lacks what it needs (why says what). */
  scope: ExceptionScope | null;
  why: string | null;
}

/** The scopes each preset asks for on this aggregate (shown before submitting, built again on submit). */
export function suppressionOptions(f: RuntimeFindingDetail): SuppressionOption[] {
  const cluster: Record<string, string> = f.cluster ? { cluster: f.cluster } : {};
  const valid = (raw: Record<string, string>): ExceptionScope | null => {
    const parsed = exceptionScopeSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  };
  const option = (preset: SuppressionPreset, label: string, raw: Record<string, string> | null, missing: string): SuppressionOption => {
    const scope = raw ? valid(raw) : null;
    return { preset, label, scope, why: scope ? null : raw ? "These names cannot form an exception scope" : missing };
  };
  const workload = f.workload?.name ?? f.workloadName;
  const repo = f.imageRepository;
  return [
    option(
      "workload",
      "This rule in this workload",
      f.namespace && workload ? { rule: f.rule, ...cluster, namespace: f.namespace, workload, ...(f.workload?.kind ? { kind: f.workload.kind } : {}) } : null,
      "The events named no workload",
    ),
    option("namespace", "This rule in this namespace", f.namespace ? { rule: f.rule, ...cluster, namespace: f.namespace } : null, "The events named no namespace"),
    option("image", "This rule for this image repository", repo ? { rule: f.rule, ...cluster, imageRepository: repo } : null, "The events named no image"),
  ];
}

export interface SuppressionResult {
  exceptionId: string;
  scope: ExceptionScope;
  /** True when the caller could approve it (ADMIN+): the matching findings are suppressed now. */
  approved: boolean;
  suppressed: number;
  /** Findings the scope matches (what approval suppresses). */
  matchCount: number;
  expiresAt: Date;
}

/** Suppresses this aggregate's rule in the preset's place until the expiry (ANALYST+ requests, ADMIN+ approves at once; audited). */
export async function suppressRuntimeFinding(db: Db, ctx: OrgContext, id: string, input: unknown, now = new Date()): Promise<SuppressionResult> {
  const actor = requireRole(ctx, "ANALYST");
  const parsed = suppressRuntimeFindingSchema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { preset, reason, expiresInDays, kind } = parsed.data;
  const finding = await getRuntimeFinding(db, ctx, id);
  const option = suppressionOptions(finding).find((o) => o.preset === preset)!;
  if (!option.scope) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "preset", message: option.why ?? "Not available for this finding" }] });
  const expiresAt = new Date(now.getTime() + expiresInDays * DAY_MS);
  const requested = await requestException(db, ctx, { kind, scope: option.scope, reason, expiresAt: expiresAt.toISOString() }, now);
  const exceptionId = requested.exception.id;
  if (!hasRole(actor.role, "ADMIN")) return { exceptionId, scope: option.scope, approved: false, suppressed: 0, matchCount: requested.matchCount, expiresAt };
  const approved = await approveException(db, ctx, exceptionId, { note: "Suppressed from the Runtime page" }, now);
  return { exceptionId, scope: option.scope, approved: true, suppressed: approved.suppressed, matchCount: requested.matchCount, expiresAt };
}
