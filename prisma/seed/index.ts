import { type Db, type Role } from "@bulwark/db";
import { createUser } from "@bulwark/core";
import { ADVISORIES } from "./advisories.ts";
import { seedEstate, type EstateResult } from "./estate.ts";
import { ACME, type EstateSpec, GLOBEX } from "./estates.ts";
import { seedPostureHistory } from "./history.ts";

// The demo seed: two organizations, their users, inventory, findings and posture history. Safe to run
// on every start: rows are only inserted when their natural key is missing, users are created through
// the core use case (argon2id hashes + audit rows) only when they or their membership do not exist yet.

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
  now?: Date;
}

export interface SeedSummary {
  orgs: Array<{ slug: string; usersCreated: number } & EstateResult>;
  advisories: number;
}

export async function seedDemo(db: Db, opts: SeedOptions = {}): Promise<SeedSummary> {
  const password = opts.password ?? DEMO_PASSWORD;
  const now = opts.now ?? new Date();

  await db.advisory.createMany({
    skipDuplicates: true,
    data: ADVISORIES.map((a) => ({
      externalId: a.externalId,
      aliases: a.aliases,
      source: a.source,
      summary: a.summary,
      severity: a.severity,
      cvssScore: a.cvssScore,
      cvssVector: a.cvssVector,
      affected: a.affected.map((x) => ({ ecosystem: x.ecosystem, package: x.package, ...(x.fixed ? { fixed: x.fixed } : {}) })),
      references: [{ type: "ADVISORY", url: `https://nvd.nist.gov/vuln/detail/${a.externalId}` }],
      publishedAt: new Date(`${a.publishedAt}T00:00:00Z`),
      modifiedAt: new Date(`${a.modifiedAt}T00:00:00Z`),
    })),
  });

  const summary: SeedSummary = { orgs: [], advisories: ADVISORIES.length };
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
    const result = await seedEstate(db, orgId, org.estate, now);
    await seedPostureHistory(db, orgId, org.slug, now);
    summary.orgs.push({ slug: org.slug, usersCreated, ...result });
  }
  return summary;
}
