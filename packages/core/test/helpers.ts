import { randomBytes } from "node:crypto";
import { createDb, type Db, type FindingType, type Role, type Severity } from "@bulwark/db";
import { type OrgContext } from "../src/context.ts";
import { createRedis, type Redis } from "../src/redis.ts";
import { AppError } from "../src/errors.ts";
import { expect } from "vitest";

// Integration tests run on the real Postgres and Redis started by scripts/services.sh. Every test makes
// its own organizations with random slugs, so tests never depend on each other's rows.

export function testDb(): Db {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is required (npm test sets it)");
  return createDb(url, { max: 4 });
}

export function testRedis(): Redis {
  return createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:63799/1");
}

export const uid = () => randomBytes(5).toString("hex");

export async function makeOrg(db: Db, name = "org") {
  const slug = `${name}-${uid()}`;
  return db.organization.create({ data: { slug, name: slug } });
}

export async function makeMember(db: Db, orgId: string, role: Role, email = `${role.toLowerCase()}-${uid()}@test.local`) {
  const user = await db.user.create({ data: { email } });
  const membership = await db.membership.create({ data: { orgId, userId: user.id, role } });
  return { user, membership };
}

export function userCtx(orgId: string, user: { id: string; email: string }, role: Role): OrgContext {
  return { orgId, actor: { type: "user", userId: user.id, email: user.email, role } };
}

/** A cluster with one namespace, one workload, one image and one open finding of each given severity. */
export async function makeEstate(db: Db, orgId: string, severities: Severity[] = ["HIGH"], type: FindingType = "VULNERABILITY") {
  const cluster = await db.cluster.create({ data: { orgId, name: `c-${uid()}` } });
  const ns = await db.namespace.create({ data: { orgId, clusterId: cluster.id, name: "default" } });
  const workload = await db.workload.create({
    data: { orgId, clusterId: cluster.id, namespaceId: ns.id, kind: "Deployment", name: `web-${uid()}`, podSpec: { containers: [{ name: "app", image: "nginx:1.25" }] } },
  });
  const image = await db.image.create({
    data: { orgId, digest: `sha256:${randomBytes(32).toString("hex")}`, registryHost: "docker.io", repository: "library/nginx", tags: ["1.25"] },
  });
  await db.container.create({ data: { orgId, workloadId: workload.id, name: "app", imageRef: "nginx:1.25", imageId: image.id } });
  const findings = [];
  for (const severity of severities) {
    findings.push(
      await db.finding.create({
        data: {
          orgId,
          fingerprint: uid(),
          type,
          severity,
          title: `${severity} problem`,
          ruleId: `CVE-2024-${uid()}`,
          source: "test",
          imageId: image.id,
          workloadId: type === "VULNERABILITY" ? null : workload.id,
          clusterId: cluster.id,
        },
      }),
    );
  }
  return { cluster, ns, workload, image, findings };
}

/** The AppError a promise rejects with (fails the test if it resolves or rejects with anything else). */
export async function caught(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}
