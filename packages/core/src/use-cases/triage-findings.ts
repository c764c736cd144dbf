import { type Db, type Prisma } from "@bulwark/db";
import { z } from "zod";
import { actorLabel, type OrgContext, requireRole } from "../context.ts";
import { AppError } from "../errors.ts";
import { applyExceptions } from "../exceptions/apply.ts";
import { type ExceptionScope, exceptionScopeSchema } from "../exceptions/scope.ts";
import { parseFindingFilters } from "../findings/filters.ts";
import { findingsPage } from "../findings/query.ts";
import { hasRole } from "../roles.ts";
import { approveException, EXCEPTION_TX } from "./approve-exception.ts";
import { MAX_EXCEPTION_REASON, requestException } from "./request-exception.ts";

/** One triage acts on at most this many findings: a bigger set is an exception scope, not a selection. */
export const MAX_TRIAGE = 500;

export const TRIAGE_ACTIONS = ["request-exception", "mark-false-positive", "reopen", "resolve"] as const;
/**
 * Types no scanner re-reports, so nothing else ever resolves them: runtime behaviour (Falco events,
 * baseline anomalies) and admission/policy violations. A later sighting reopens them (the upsert
 * reopens a RESOLVED finding seen after its resolvedAt).
 */
export const RESOLVABLE_TYPES = ["RUNTIME", "POLICY_VIOLATION"] as const;
export type TriageAction = (typeof TRIAGE_ACTIONS)[number];

export const triageFindingsSchema = z
  .strictObject({
    ids: z.array(z.string().min(1).max(40)).min(1).max(MAX_TRIAGE).optional().meta({ description: `Finding ids (at most ${MAX_TRIAGE})` }),
    filter: z.string().max(4_000).optional().meta({ description: `A findings query string (the URL contract of GET /api/v1/findings) matching at most ${MAX_TRIAGE} findings` }),
    action: z.enum(TRIAGE_ACTIONS),
    reason: z.string().trim().min(1, "Give the reason").max(MAX_EXCEPTION_REASON),
    expiresAt: z.iso.datetime({ offset: true }).optional().meta({ description: "For exception requests: when the exception stops applying" }),
  })
  .superRefine((v, ctx) => {
    if ((v.ids === undefined) === (v.filter === undefined)) ctx.addIssue({ code: "custom", path: ["ids"], message: "Give either ids or filter" });
  });

export type TriageInput = z.input<typeof triageFindingsSchema>;

export interface TriageResult {
  action: TriageAction;
  /** Findings the selection named (after filtering by organization and status). */
  selected: number;
  /** Exception requests made, one per distinct scope (rule + image repository or workload). */
  exceptions: { id: string; scope: ExceptionScope; findings: number; approved: boolean }[];
  reopened: number;
  /** Findings the resolve action closed. */
  resolved: number;
  skipped: { id: string; reason: string }[];
}

const FINDING_SELECT = {
  id: true,
  type: true,
  status: true,
  ruleId: true,
  exceptionId: true,
  evidence: true,
  image: { select: { registryHost: true, repository: true } },
  workload: { select: { name: true, kind: true } },
  namespace: { select: { name: true } },
  cluster: { select: { name: true } },
} as const;

type Selected = Prisma.FindingGetPayload<{ select: typeof FINDING_SELECT }>;

/**
 * The narrowest scope an exception for this finding can have: its rule, plus the image repository it
 * was found in (image findings; every tag and digest of the repository, so a rebuild stays covered) or
 * the workload it concerns (cluster, namespace, kind and name). Null when no valid scope can be built.
 */
export function scopeForFinding(f: Selected): ExceptionScope | null {
  const place: Record<string, string> = {};
  if (f.image) place.imageRepository = `${f.image.registryHost}/${f.image.repository}`;
  else if (f.workload) Object.assign(place, { workload: f.workload.name, kind: f.workload.kind, ...(f.namespace ? { namespace: f.namespace.name } : {}), ...(f.cluster ? { cluster: f.cluster.name } : {}) });
  else if (f.type === "RUNTIME") Object.assign(place, recordedPlace(f));
  else if (f.cluster) Object.assign(place, { cluster: f.cluster.name, ...(f.namespace ? { namespace: f.namespace.name } : {}) });
  const ruleKey = f.type === "VULNERABILITY" ? "advisory" : f.type === "POLICY_VIOLATION" ? "policyId" : "rule";
  for (const key of [ruleKey, "rule"]) {
    const parsed = exceptionScopeSchema.safeParse({ [key]: f.ruleId, ...place });
    if (parsed.success) return parsed.data;
  }
  return null;
}

/**
 * A runtime finding the inventory could not tie to a workload still names where it happened (the
 * events' cluster, namespace and workload, see exceptions/match.ts): scope by those, so the exception
 * is as narrow as for a linked one rather than the whole rule. Names a scope would refuse are left out.
 */
function recordedPlace(f: Selected): Record<string, string> {
  const evidence = (f.evidence && typeof f.evidence === "object" && !Array.isArray(f.evidence) ? f.evidence : {}) as Record<string, unknown>;
  const place: Record<string, string> = {};
  const cluster = f.cluster?.name ?? evidence.cluster;
  for (const [key, value] of [["cluster", cluster], ["namespace", evidence.namespace], ["workload", evidence.workload]] as const) {
    if (typeof value === "string" && exceptionScopeSchema.safeParse({ rule: "x", [key]: value }).success) place[key] = value;
  }
  return place;
}

async function select(db: Db, ctx: OrgContext, ids: string[] | undefined, filter: string | undefined): Promise<Selected[]> {
  if (filter !== undefined) {
    let filters;
    try {
      filters = { ...parseFindingFilters(filter), cursor: undefined };
    } catch (err) {
      if (err instanceof AppError && err.fields) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: err.fields.map((f) => ({ ...f, path: `filter.${f.path}` })) });
      throw err;
    }
    const page = await findingsPage(db, ctx.orgId, filters, MAX_TRIAGE);
    if (page.nextCursor) throw new AppError("VALIDATION_FAILED", "The request is invalid", { fields: [{ path: "filter", message: `Matches more than ${MAX_TRIAGE} findings; narrow it` }] });
    ids = page.rows.map((r) => r.id);
  }
  const unique = [...new Set(ids ?? [])];
  const rows = await db.finding.findMany({ where: { orgId: ctx.orgId, id: { in: unique } }, select: FINDING_SELECT });
  // Another organization's id is indistinguishable from one that does not exist, and refuses the whole request.
  if (filter === undefined && rows.length !== unique.length) throw AppError.notFound("Finding");
  return rows;
}

/**
 * Bulk triage from the findings explorer (ANALYST+; audited per finding).
 * - request-exception / mark-false-positive: OPEN findings are grouped by their narrowest scope
 *   (scopeForFinding) and one exception is requested per scope, RISK_ACCEPTED or FALSE_POSITIVE. An
 *   ADMIN marking a false positive approves it at once (the exception model allows self-approval and
 *   records it as selfApproved); every other request waits for an admin, like any exception request.
 * - reopen: SUPPRESSED and RESOLVED findings become OPEN again, unless an approved exception in force
 *   still covers them (they stay suppressed: revoke the exception instead). A reopened RESOLVED finding
 *   resolves again if the next scan still does not report it.
 * - resolve: OPEN findings of the RESOLVABLE_TYPES become RESOLVED (resolvedAt = now); the next event
 *   or decision about the same thing reopens them. Scanner findings are skipped: their next scan decides.
 */
export async function triageFindings(db: Db, ctx: OrgContext, input: unknown, now = new Date()): Promise<TriageResult> {
  const actor = requireRole(ctx, "ANALYST");
  const parsed = triageFindingsSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error);
  const { action, reason, expiresAt, ids, filter } = parsed.data;
  const rows = await select(db, ctx, ids, filter);
  const skipped: TriageResult["skipped"] = [];
  const audit = (findingIds: string[], act: string, metadata: Prisma.InputJsonObject): Prisma.AuditLogCreateManyInput[] =>
    findingIds.map((targetId) => ({
      orgId: ctx.orgId,
      actorType: "USER" as const,
      actorId: actor.userId,
      actorLabel: actorLabel(actor),
      action: act,
      targetType: "finding",
      targetId,
      metadata: { ...metadata, reason },
      ip: ctx.ip ?? null,
    }));

  if (action === "reopen") {
    const candidates = rows.filter((r) => r.status !== "OPEN");
    for (const r of rows) if (r.status === "OPEN") skipped.push({ id: r.id, reason: "Already open" });
    if (candidates.length === 0) return { action, selected: rows.length, exceptions: [], reopened: 0, resolved: 0, skipped };
    const candidateIds = candidates.map((r) => r.id);
    const reopened = await db.$transaction(async (tx) => {
      await tx.finding.updateMany({ where: { orgId: ctx.orgId, id: { in: candidateIds }, status: { in: ["SUPPRESSED", "RESOLVED"] } }, data: { status: "OPEN", exceptionId: null, resolvedAt: null } });
      // Whatever an exception in force still covers goes straight back to SUPPRESSED in the same transaction.
      await applyExceptions(tx, ctx.orgId, { findingIds: candidateIds }, { now });
      const after = await tx.finding.findMany({ where: { orgId: ctx.orgId, id: { in: candidateIds } }, select: { id: true, status: true, exceptionId: true } });
      const open = after.filter((r) => r.status === "OPEN").map((r) => r.id);
      for (const r of after) if (r.status !== "OPEN") skipped.push({ id: r.id, reason: `Still covered by approved exception ${r.exceptionId ?? ""}`.trim() });
      const before = new Map(candidates.map((c) => [c.id, c.status]));
      await tx.auditLog.createMany({ data: open.map((id) => audit([id], "finding.reopened", { from: before.get(id) ?? null })[0]!) });
      return open.length;
    }, EXCEPTION_TX);
    return { action, selected: rows.length, exceptions: [], reopened, resolved: 0, skipped };
  }

  if (action === "resolve") {
    const resolvable = new Set<string>(RESOLVABLE_TYPES);
    const candidates: string[] = [];
    for (const r of rows) {
      if (!resolvable.has(r.type)) skipped.push({ id: r.id, reason: "Resolved by the next scan that no longer reports it" });
      else if (r.status !== "OPEN") skipped.push({ id: r.id, reason: r.status === "RESOLVED" ? "Already resolved" : "Suppressed by an exception" });
      else candidates.push(r.id);
    }
    if (candidates.length === 0) return { action, selected: rows.length, exceptions: [], reopened: 0, resolved: 0, skipped };
    const resolved = await db.$transaction(async (tx) => {
      // Conditional on OPEN: a finding suppressed or resolved meanwhile is left as it is, and not audited.
      const won = await tx.finding.updateManyAndReturn({
        where: { orgId: ctx.orgId, id: { in: candidates }, status: "OPEN" },
        data: { status: "RESOLVED", resolvedAt: now },
        select: { id: true },
      });
      await tx.auditLog.createMany({ data: won.map((w) => audit([w.id], "finding.resolved", {})[0]!) });
      return won.length;
    });
    return { action, selected: rows.length, exceptions: [], reopened: 0, resolved, skipped };
  }

  const kind = action === "mark-false-positive" ? "FALSE_POSITIVE" : "RISK_ACCEPTED";
  const groups = new Map<string, { scope: ExceptionScope; ids: string[] }>();
  for (const r of rows) {
    if (r.status !== "OPEN") {
      skipped.push({ id: r.id, reason: r.status === "SUPPRESSED" ? "Already suppressed by an exception" : "Resolved" });
      continue;
    }
    const scope = scopeForFinding(r);
    if (!scope) {
      skipped.push({ id: r.id, reason: "No exception scope can name this finding's rule" });
      continue;
    }
    const key = JSON.stringify(Object.entries(scope).sort(([a], [b]) => a.localeCompare(b)));
    const g = groups.get(key) ?? { scope, ids: [] };
    g.ids.push(r.id);
    groups.set(key, g);
  }
  const approveNow = kind === "FALSE_POSITIVE" && hasRole(actor.role, "ADMIN");
  const exceptions: TriageResult["exceptions"] = [];
  for (const g of groups.values()) {
    const requested = await requestException(db, ctx, { kind, scope: g.scope, reason, ...(expiresAt ? { expiresAt } : {}) }, now);
    const exceptionId = requested.exception.id;
    if (approveNow) await approveException(db, ctx, exceptionId, { note: "Marked false positive from the findings explorer" }, now);
    await db.auditLog.createMany({
      data: audit(g.ids, kind === "FALSE_POSITIVE" ? "finding.false-positive" : "finding.exception-requested", { exceptionId, approved: approveNow }),
    });
    exceptions.push({ id: exceptionId, scope: g.scope, findings: g.ids.length, approved: approveNow });
  }
  return { action, selected: rows.length, exceptions, reopened: 0, resolved: 0, skipped };
}
