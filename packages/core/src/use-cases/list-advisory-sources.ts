import { type Db } from "@bulwark/db";

// The advisory feeds and what their last sync did, for the UI. Advisories are instance-wide, so this
// takes no organization; any signed-in user may see which feeds their findings come from.

export interface AdvisorySourceView {
  id: string;
  name: string;
  /** The configured location; credentials and query values in a URL are replaced by "***". */
  location: string;
  enabled: boolean;
  lastSyncAt: Date | null;
  lastStatus: string | null;
  lastError: string | null;
  lastStats: unknown;
  /** Advisories currently stored whose last write came from this feed. */
  advisoryCount: number;
}

/** A feed URL may carry credentials (https://user:token@mirror/..., ?token=...); they are never shown. */
export function redactLocation(location: string): string {
  if (!/^https?:\/\//i.test(location)) return location;
  try {
    const url = new URL(location);
    if (!url.password && !url.username && !url.search) return location;
    if (url.username || url.password) url.username = "***";
    url.password = "";
    for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, "***");
    return url.toString();
  } catch {
    return "(invalid URL)";
  }
}

export async function listAdvisorySources(db: Db): Promise<AdvisorySourceView[]> {
  const [rows, counts] = await Promise.all([
    db.advisorySource.findMany({ orderBy: { name: "asc" } }),
    db.advisory.groupBy({ by: ["source"], _count: { _all: true } }),
  ]);
  const countOf = new Map(counts.map((c) => [c.source, c._count._all]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    location: redactLocation(r.location),
    enabled: r.enabled,
    lastSyncAt: r.lastSyncAt,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    lastStats: r.lastStats,
    advisoryCount: countOf.get(r.name) ?? 0,
  }));
}
