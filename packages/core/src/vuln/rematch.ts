import { type Db, plainSql, type SqlTx, withSqlTransaction } from "@bulwark/db";
import { applyExceptions } from "../exceptions/apply.ts";
import { type AlertCandidate } from "../notifications/types.ts";
import { type FindingRow, upsertFindings, utc } from "../ingest/store-findings.ts";
import { BULWARK_VULN_SOURCE, evaluate, type InstalledPackage, loadRules, matchFingerprint, matchFinding, type MatchRule } from "./match-rules.ts";

// Re-matching stored image packages against the advisory store, without touching the images again.
// Images are taken in chunks: per chunk one query finds the candidate (package, advisory package) pairs
// by name, versions are evaluated here (per-ecosystem semantics do not exist in SQL), and only what
// changed is written: new and reopened findings, changed fixes/severities, and findings whose match is
// gone (advisory withdrawn or range changed) resolved. An unchanged match costs no write.

export type RematchKind = "FULL" | "DELTA" | "IMAGE" | "CLUSTER";

export interface RematchTarget {
  kind: RematchKind;
  /** The images to re-match (FULL/IMAGE/CLUSTER): resolved by the caller, across organizations allowed. */
  imageIds?: readonly string[];
  /** DELTA: Advisory ids that were added, changed or withdrawn; only their matches are re-evaluated. */
  advisoryIds?: readonly string[];
}

export interface RematchStats {
  images: number;
  /** (distinct package version, advisory package) pairs evaluated; images sharing a version share the evaluation. */
  candidates: number;
  matched: number;
  opened: number;
  reopened: number;
  updated: number;
  unchanged: number;
  resolved: number;
  /** Matches a scanner already reports (same advisory or alias, package and image): left to the scanner. */
  duplicatesOfScanner: number;
  unparsableVersions: number;
  /** New or reopened matches an approved exception covers (stored SUPPRESSED). */
  suppressed: number;
  /** Finding rows written (inserted, updated or resolved). */
  rowsWritten: number;
}

export interface RematchOptions {
  now?: Date;
  chunkSize?: number;
  /** Called after each chunk with images done and total. */
  onProgress?: (done: number, total: number) => Promise<void> | void;
  /** Called after each committed chunk with the findings it opened or reopened, per organization (approved exceptions already applied). */
  onOpened?: (orgId: string, opened: AlertCandidate[]) => Promise<void>;
}

export function emptyStats(): RematchStats {
  return { images: 0, candidates: 0, matched: 0, opened: 0, reopened: 0, updated: 0, unchanged: 0, resolved: 0, duplicatesOfScanner: 0, unparsableVersions: 0, suppressed: 0, rowsWritten: 0 };
}

interface ImageRow {
  id: string;
  orgId: string;
  digest: string;
}

interface ExistingRow {
  id: string;
  orgId: string;
  fingerprint: string;
  status: "OPEN" | "RESOLVED" | "SUPPRESSED";
  severity: string;
  fixedVersion: string | null;
}

/** Images holding a package any of `advisoryIds` names, plus images with open matches of those advisories. */
export async function imagesForAdvisories(sql: SqlTx, advisoryIds: readonly string[]): Promise<{ imageIds: string[]; externalIds: string[] }> {
  if (advisoryIds.length === 0) return { imageIds: [], externalIds: [] };
  const ids = [...advisoryIds];
  const [byPackage, advisories] = await Promise.all([
    sql.$queryRaw<Array<{ imageId: string }>>`
      WITH names AS (SELECT DISTINCT name FROM "AdvisoryPackage" WHERE "advisoryId" = ANY(${ids}::text[]))
      SELECT "imageId" FROM "ImagePackage" WHERE name IN (SELECT name FROM names)
      UNION SELECT "imageId" FROM "ImagePackage" WHERE "srcName" IN (SELECT name FROM names)`,
    sql.$queryRaw<Array<{ externalId: string }>>`SELECT "externalId" FROM "Advisory" WHERE id = ANY(${ids}::text[])`,
  ]);
  const externalIds = advisories.map((a) => a.externalId);
  // Existing matches of a changed advisory may be for packages it no longer names; those must resolve.
  const byFinding = await sql.$queryRaw<Array<{ imageId: string }>>`
    SELECT DISTINCT f."imageId" FROM "Organization" o
    JOIN LATERAL (SELECT "imageId" FROM "Finding" WHERE "orgId" = o.id AND "ruleId" = ANY(${externalIds}::text[])
                  AND source = ${BULWARK_VULN_SOURCE} AND status <> 'RESOLVED' AND "imageId" IS NOT NULL) f ON true`;
  const all = new Set<string>();
  for (const r of byPackage) all.add(r.imageId);
  for (const r of byFinding) all.add(r.imageId);
  return { imageIds: [...all].sort(), externalIds };
}

/** Re-matches the target's images; see the file comment. */
export async function rematch(db: Db, target: RematchTarget, opts: RematchOptions = {}): Promise<RematchStats> {
  const sql = plainSql(db);
  const now = opts.now ?? new Date();
  const chunkSize = opts.chunkSize ?? 500;
  const stats = emptyStats();
  let imageIds: string[];
  let advisoryIds: string[] | null = null;
  let externalIds: string[] | null = null;
  if (target.kind === "DELTA") {
    advisoryIds = [...(target.advisoryIds ?? [])];
    const affected = await imagesForAdvisories(sql, advisoryIds);
    externalIds = affected.externalIds;
    // A caller that split the affected images (by organization) passes its share.
    imageIds = target.imageIds ? [...new Set(target.imageIds)].sort() : affected.imageIds;
  } else {
    imageIds = [...new Set(target.imageIds ?? [])].sort();
  }
  const run: RunState = { advisoryIds, externalIds, now, rules: new Map(), rulesByName: new Map(), verdicts: new Map(), stats, onOpened: opts.onOpened, markScanned: target.kind !== "DELTA" };
  await opts.onProgress?.(0, imageIds.length);
  // One chunk's writes run while the next chunk is read and evaluated: Postgres and this process each
  // keep a core busy. At most one write is in flight, so memory stays bounded to two chunks.
  let writing: Promise<void> = Promise.resolve();
  for (let i = 0; i < imageIds.length; i += chunkSize) {
    const chunk = imageIds.slice(i, i + chunkSize);
    const plan = await planChunk(sql, chunk, run);
    await writing;
    const done = Math.min(i + chunkSize, imageIds.length);
    writing = writeChunk(db, sql, chunk, plan, run).then(async () => {
      stats.images += chunk.length;
      await opts.onProgress?.(done, imageIds.length);
    });
    // Surface a write failure now rather than after the next chunk's reads.
    writing.catch(() => undefined);
  }
  await writing;
  return stats;
}

/** What a run keeps across chunks: rules, rule ids by package name, and verdicts per distinct package version. */
interface RunState {
  advisoryIds: string[] | null;
  externalIds: string[] | null;
  now: Date;
  rules: Map<string, MatchRule>;
  rulesByName: Map<string, string[]>;
  /** ecosystem + name + version → the rules that affect it, with the fix. Images share most versions. */
  verdicts: Map<string, Array<{ rule: MatchRule; fixedVersion: string | null }>>;
  stats: RematchStats;
  onOpened: RematchOptions["onOpened"];
  markScanned: boolean;
}

// Bounded so a run over a huge, varied estate cannot hold every verdict; a miss only costs a re-evaluation.
const MAX_VERDICTS = 500_000;

async function rulesFor(sql: SqlTx, names: Iterable<string>, run: RunState): Promise<void> {
  const missing = [...new Set(names)].filter((n) => !run.rulesByName.has(n));
  for (let i = 0; i < missing.length; i += 10_000) {
    const part = missing.slice(i, i + 10_000);
    const rows = await sql.$queryRaw<Array<{ id: string; name: string }>>`
      SELECT id, name FROM "AdvisoryPackage" WHERE name = ANY(${part}::text[])
        AND (${run.advisoryIds}::text[] IS NULL OR "advisoryId" = ANY(${run.advisoryIds}::text[]))`;
    for (const n of part) run.rulesByName.set(n, []);
    for (const r of rows) run.rulesByName.get(r.name)!.push(r.id);
  }
  await loadRules(sql, missing.flatMap((n) => run.rulesByName.get(n) ?? []), run.rules);
}

function verdictFor(run: RunState, pkg: PackageRow): Array<{ rule: MatchRule; fixedVersion: string | null }> {
  const key = `${pkg.ecosystem}\u001f${pkg.name}\u001f${pkg.version}\u001f${pkg.srcName ?? ""}\u001f${pkg.srcVersion ?? ""}`;
  const cached = run.verdicts.get(key);
  if (cached) return cached;
  const out: Array<{ rule: MatchRule; fixedVersion: string | null }> = [];
  const judge = (name: string, version: string) => {
    const probe: InstalledPackage = { imageId: "", digest: "", ecosystem: pkg.ecosystem, name, version, purl: pkg.purl };
    for (const id of run.rulesByName.get(name) ?? []) {
      const rule = run.rules.get(id);
      if (!rule || out.some((o) => o.rule.advisoryId === rule.advisoryId)) continue;
      run.stats.candidates++;
      const result = evaluate(rule, probe);
      if (result.kind === "unparsable") run.stats.unparsableVersions++;
      else if (result.kind === "match") out.push({ rule, fixedVersion: result.fixedVersion });
    }
  };
  // Distro advisories name source packages (openssl, not libssl3), at the source's version.
  if (pkg.srcName) judge(pkg.srcName, pkg.srcVersion ?? pkg.version);
  judge(pkg.name, pkg.version);
  if (run.verdicts.size >= MAX_VERDICTS) run.verdicts.clear();
  run.verdicts.set(key, out);
  return out;
}

interface PackageRow {
  imageId: string;
  ecosystem: string;
  name: string;
  version: string;
  purl: string | null;
  srcName: string | null;
  srcVersion: string | null;
}

interface ChunkPlan {
  toWrite: Map<string, Map<string, FindingRow>>;
  toResolve: Map<string, string[]>;
  knownNew: Set<string>;
}

async function planChunk(sql: SqlTx, chunk: string[], ctx: RunState): Promise<ChunkPlan> {
  const { stats, now } = ctx;
  const [images, packages, existing, scanner] = await Promise.all([
    sql.$queryRaw<ImageRow[]>`SELECT id, "orgId", digest FROM "Image" WHERE id = ANY(${chunk}::text[])`,
    // Only packages some advisory names (a hashed semi-join); versions are judged here, per ecosystem.
    sql.$queryRaw<PackageRow[]>`
      SELECT ip."imageId", ip.ecosystem, ip.name, ip.version, ip.purl, ip."srcName", ip."srcVersion" FROM "ImagePackage" ip
      WHERE ip."imageId" = ANY(${chunk}::text[])
        AND (EXISTS (SELECT 1 FROM "AdvisoryPackage" ap WHERE ap.name = ip.name
                     AND (${ctx.advisoryIds}::text[] IS NULL OR ap."advisoryId" = ANY(${ctx.advisoryIds}::text[])))
          OR EXISTS (SELECT 1 FROM "AdvisoryPackage" ap WHERE ap.name = ip."srcName"
                     AND (${ctx.advisoryIds}::text[] IS NULL OR ap."advisoryId" = ANY(${ctx.advisoryIds}::text[]))))`,
    sql.$queryRaw<ExistingRow[]>`
      SELECT id, "orgId", fingerprint, status::text AS status, severity::text AS severity, "fixedVersion"
      FROM "Finding"
      WHERE "imageId" = ANY(${chunk}::text[]) AND source = ${BULWARK_VULN_SOURCE} AND type = 'VULNERABILITY'
        AND (${ctx.externalIds}::text[] IS NULL OR "ruleId" = ANY(${ctx.externalIds}::text[]))`,
    sql.$queryRaw<Array<{ imageId: string; packageName: string | null; ruleId: string }>>`
      SELECT "imageId", "packageName", "ruleId" FROM "Finding"
      WHERE "imageId" = ANY(${chunk}::text[]) AND type = 'VULNERABILITY' AND status <> 'RESOLVED' AND source <> ${BULWARK_VULN_SOURCE}`,
  ]);
  await rulesFor(sql, packages.flatMap((p) => (p.srcName ? [p.name, p.srcName] : [p.name])), ctx);
  const imageById = new Map(images.map((im) => [im.id, im]));
  const scannerKeys = new Set(scanner.map((s) => `${s.imageId}\u001f${s.packageName ?? ""}\u001f${s.ruleId}`));
  const existingByFp = new Map(existing.map((e) => [e.fingerprint, e]));

  const toWrite = new Map<string, Map<string, FindingRow>>(); // orgId → fingerprint → row
  const matchedFps = new Set<string>();
  const knownNew = new Set<string>();
  for (const p of packages) {
    const image = imageById.get(p.imageId);
    if (!image) continue;
    const verdicts = verdictFor(ctx, p);
    if (verdicts.length === 0) continue;
    const pkg: InstalledPackage = { imageId: p.imageId, digest: image.digest, ecosystem: p.ecosystem, name: p.name, version: p.version, purl: p.purl, srcName: p.srcName, srcVersion: p.srcVersion };
    for (const { rule, fixedVersion } of verdicts) {
      const fp = matchFingerprint(rule, pkg);
      if (matchedFps.has(fp)) continue; // the same advisory can list a package twice (split ranges)
      if ([rule.externalId, ...rule.aliases].some((id) => scannerKeys.has(`${p.imageId}\u001f${p.name}\u001f${id}`))) {
        stats.duplicatesOfScanner++;
        continue;
      }
      matchedFps.add(fp);
      stats.matched++;
      const prior = existingByFp.get(fp);
      if (prior && prior.status !== "RESOLVED" && prior.severity === (rule.severity ?? "INFO") && prior.fixedVersion === fixedVersion) {
        stats.unchanged++;
        continue;
      }
      if (!prior) knownNew.add(fp);
      let byFp = toWrite.get(image.orgId);
      if (!byFp) toWrite.set(image.orgId, (byFp = new Map()));
      byFp.set(fp, matchFinding(rule, pkg, fixedVersion, now));
    }
  }
  const toResolve = new Map<string, string[]>();
  for (const e of existing) {
    if (e.status === "RESOLVED" || matchedFps.has(e.fingerprint)) continue;
    const list = toResolve.get(e.orgId) ?? [];
    list.push(e.id);
    toResolve.set(e.orgId, list);
  }
  return { toWrite, toResolve, knownNew };
}

async function writeChunk(db: Db, sql: SqlTx, chunk: string[], plan: ChunkPlan, ctx: RunState): Promise<void> {
  const { stats, now } = ctx;
  const { toWrite, toResolve, knownNew } = plan;
  const orgIds = new Set([...toWrite.keys(), ...toResolve.keys()]);
  for (const orgId of orgIds) {
    const rows = [...(toWrite.get(orgId)?.values() ?? [])];
    const resolveIds = toResolve.get(orgId) ?? [];
    const opened = await withSqlTransaction(db, async (tx) => {
      const result = rows.length > 0 ? await upsertFindings(tx, orgId, rows, { knownNew }) : null;
      if (resolveIds.length > 0) {
        await tx.$executeRaw`
          UPDATE "Finding" SET status = 'RESOLVED', "resolvedAt" = ${utc(now)}, "updatedAt" = now()
          WHERE id = ANY(${resolveIds}::text[]) AND status <> 'RESOLVED'`;
      }
      if (!result) return [];
      stats.opened += result.created;
      stats.reopened += result.reopened;
      stats.updated += result.updated;
      stats.unchanged += result.unchanged;
      const opened: AlertCandidate[] = [];
      for (const [fp, o] of result.outcomes) if (o === "created" || o === "reopened") opened.push({ findingId: result.ids.get(fp)!, reason: o });
      // In the same transaction: a match an approved exception covers is never visible as OPEN.
      stats.suppressed += await applyExceptions(tx, orgId, { findingIds: opened.map((c) => c.findingId) });
      return opened;
      // A re-match is redone from the stored packages after a crash, so it need not wait for the WAL flush.
    }, { asyncCommit: true });
    stats.resolved += resolveIds.length;
    stats.rowsWritten += rows.length + resolveIds.length;
    if (opened.length > 0) await ctx.onOpened?.(orgId, opened);
  }
  // Re-matching a stored package list against current advisories is a scan: it keeps "continuous scanning" true.
  if (ctx.markScanned) {
    await sql.$executeRaw`
      UPDATE "Image" i SET "lastScannedAt" = ${utc(now)}, "matchedAt" = ${utc(now)}
      WHERE i.id = ANY(${chunk}::text[]) AND EXISTS (SELECT 1 FROM "ImagePackage" p WHERE p."imageId" = i.id)`;
  }
}
