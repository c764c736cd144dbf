import { z } from "zod";
import { NORMALIZED_FINDING_TYPES } from "../ingest/normalized.ts";
import { SEVERITY_LEVELS } from "../ingest/severity.ts";

// Which findings reach a channel. Every criterion that is set must match; an empty routing sends every
// alert. Pure (no I/O), so the UI can explain a rule and the tests can pin it down.

// The ingestion's own lists (worst first), not copies: a new severity or type reaches routing by itself.
export const ALERT_SEVERITIES = SEVERITY_LEVELS;
export const ALERT_FINDING_TYPES = NORMALIZED_FINDING_TYPES;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export type AlertFindingType = (typeof ALERT_FINDING_TYPES)[number];

const MAX_ENTRIES = 100;

/** Duplicates dropped, and an empty list means "no restriction" (stored as absent). */
const list = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .max(MAX_ENTRIES, `At most ${MAX_ENTRIES} entries`)
    .transform((v) => (v.length === 0 ? undefined : [...new Set(v)]))
    .optional();

export const routingSchema = z
  .strictObject({
    minSeverity: z.enum(ALERT_SEVERITIES).optional().meta({ description: "Only findings at least this severe" }),
    types: list(z.enum(ALERT_FINDING_TYPES)).meta({ description: "Only these finding types" }),
    clusters: list(z.string().trim().min(1).max(253)).meta({ description: "Only findings in these clusters (names)" }),
    policies: list(z.string().trim().min(1).max(200)).meta({ description: "Only these rules: policy keys, Falco rule names or other rule ids" }),
  })
  .meta({ id: "NotificationRouting", description: "Every criterion set must match; none set sends every alert." });

export type Routing = z.output<typeof routingSchema>;

/** What routing looks at in a finding. */
export interface RoutableFinding {
  type: AlertFindingType;
  severity: AlertSeverity;
  /** Cluster name, when the finding belongs to one. */
  cluster: string | null;
  ruleId: string;
}

const RANK: Record<AlertSeverity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, INFO: 4 };

export function matchesRouting(routing: Routing, f: RoutableFinding): boolean {
  if (routing.minSeverity && RANK[f.severity] > RANK[routing.minSeverity]) return false;
  if (routing.types && !routing.types.includes(f.type)) return false;
  if (routing.clusters && (f.cluster === null || !routing.clusters.includes(f.cluster))) return false;
  if (routing.policies && !routing.policies.includes(f.ruleId)) return false;
  return true;
}

/** Stored routing as written by routingSchema; anything unreadable routes nothing rather than everything. */
export function readRouting(stored: unknown): Routing | null {
  const parsed = routingSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : null;
}

/** One line for lists: "HIGH and above · RUNTIME · clusters prod-eu". */
export function describeRouting(routing: Routing): string {
  const parts: string[] = [];
  if (routing.minSeverity) parts.push(routing.minSeverity === "INFO" ? "any severity" : `${routing.minSeverity} and above`);
  if (routing.types) parts.push(routing.types.join(", "));
  if (routing.clusters) parts.push(`cluster ${routing.clusters.join(", ")}`);
  if (routing.policies) parts.push(`rule ${routing.policies.join(", ")}`);
  return parts.length === 0 ? "Every alert" : parts.join(" · ");
}
