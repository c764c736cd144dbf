import { type Db, type Role } from "@bulwark/db";
import { createUser, ensureBuiltinPolicies, evaluateWorkloads } from "@bulwark/core";
import { openConnectorSession, postReports, type PostResult } from "./connector.ts";
import { seedAdvisories, seedDirect, seedRematch } from "./direct.ts";
import { ACME, type EstateSpec, GLOBEX } from "./estates.ts";
import { seedPostureHistory } from "./history.ts";
import { seedReports } from "./reports.ts";

// The demo seed: two organizations, their users, and the reports their connectors would have sent
// (cluster inventories, Trivy scans, SBOMs, registry image lists, Falco alerts), posted through the
// connector API's use cases. What no API produces yet is written directly (direct.ts). Safe to run on
// every start: users are created only when missing (argon2id hashes + audit rows), reports carry fixed
// Idempotency-Keys so a second run is answered with the first run's reports and changes nothing.

export const DEMO_PASSWORD = "bulwark-demo";

interface DemoUser {
  email: string;
  name: string;
  role: Role;
}

interface DemoOrg {
  slug: string;
  name: string;
  users: DemoUser[];
  estate: EstateSpec;
}

export const DEMO_ORGS: DemoOrg[] = [
  {
    slug: "acme",
    name: "Acme Corp",
    users: [
      { email: "admin@bulwark.local", name: "Avery Admin", role: "OWNER" },
      { email: "analyst@bulwark.local", name: "Ari Analyst", role: "ANALYST" },
      { email: "viewer@bulwark.local", name: "Val Viewer", role: "VIEWER" },
    ],
    estate: ACME,
  },
  {
    slug: "globex",
    name: "Globex",
    users: [{ email: "globex-admin@bulwark.local", name: "Gail Globex", role: "OWNER" }],
    estate: GLOBEX,
  },
];

export interface SeedOptions {
  password?: string;
  /** "Today" for the posture history; report times are anchored to the first seed run instead. */
  now?: Date;
}

export interface OrgSummary {
  slug: string;
  usersCreated: number;
  clusters: number;
  /** Live workloads (not deleted). */
  workloads: number;
  images: number;
  findings: number;
  reports: PostResult;
  /** Why the connector demo was not sent for this organization, if it was not. */
  skipped?: string;
}

export interface SeedSummary {
  orgs: OrgSummary[];
  advisories: number;
}

export async function seedDemo(db: Db, opts: SeedOptions = {}): Promise<SeedSummary> {
  const password = opts.password ?? DEMO_PASSWORD;
  const now = opts.now ?? new Date();
  const summary: SeedSummary = { orgs: [], advisories: await seedAdvisories(db) };
  for (const org of DEMO_ORGS) {
    let usersCreated = 0;
    let orgId: string | undefined;
    for (const u of org.users) {
      const existing = await db.user.findUnique({
        where: { email: u.email },
        select: { id: true, passwordHash: true, memberships: { where: { org: { slug: org.slug } }, select: { orgId: true } } },
      });
      const membership = existing?.memberships[0];
      if (existing?.passwordHash && membership) {
        // Already seeded: leave the user, their role and their password exactly as they are now.
        orgId = membership.orgId;
        continue;
      }
      // Hash only for a new (or password-less) user: createUser re-hashes whenever a password is given.
      const res = await createUser(
        db,
        { email: u.email, name: u.name, org: org.slug, orgName: org.name, role: u.role, ...(existing?.passwordHash ? {} : { password }) },
        "seed",
      );
      orgId = res.orgId;
      if (res.createdUser) usersCreated++;
    }
    if (!orgId) throw new Error(`seed: organization ${org.slug} has no users`);
    // The built-in policies every organization starts with (idempotent; never overwrites changes).
    await ensureBuiltinPolicies(db, orgId);

    const session = await openConnectorSession(db, org.slug, orgId);
    let reports: PostResult = { posted: 0, duplicates: 0, conflicts: [] };
    if (!("skipped" in session)) {
      reports = await postReports(db, session.ctx, seedReports(org.estate, session.anchor));
      await seedDirect(db, orgId, org.estate, session.anchor);
      await seedRematch(db, orgId);
      // The central policy set against the inventory: policy results, PSS levels, practice flags and
      // bulwark-policy findings, as the worker's posture.evaluate job would store them.
      await evaluateWorkloads(db, orgId, { now });
      await seedPostureHistory(db, orgId, org.slug, now);
    }
    const [clusters, workloads, images, findings] = await Promise.all([
      db.cluster.count({ where: { orgId } }),
      db.workload.count({ where: { orgId, deleted: false } }),
      db.image.count({ where: { orgId } }),
      db.finding.count({ where: { orgId } }),
    ]);
    summary.orgs.push({ slug: org.slug, usersCreated, clusters, workloads, images, findings, reports, ...("skipped" in session ? { skipped: session.skipped } : {}) });
  }
  return summary;
}
