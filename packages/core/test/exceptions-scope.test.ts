import { randomBytes } from "node:crypto";
import type { Db, Finding, Prisma } from "@bulwark/db";
import { applyExceptions as engineApply, parseImageReference, type EvaluationInput, type PolicyResult } from "@bulwark/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineImagePatterns, toPolicyExceptions, writtenForms } from "../src/exceptions/engine.ts";
import { findingWhere, resolveLookups, scopeTerms, termsSql } from "../src/exceptions/match.ts";
import { type ExceptionScope, exceptionScopeSchema, readStoredScope } from "../src/exceptions/scope.ts";
import { makeOrg, testDb, uid } from "./helpers.ts";

// Scopes: what the schema accepts, how every field matches findings on the real database (the Prisma
// filter and the SQL used for suppression must agree), and what reaches the policy engine.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

const digest = () => `sha256:${randomBytes(32).toString("hex")}`;

describe("exceptionScopeSchema", () => {
  const paths = (input: unknown) => {
    const r = exceptionScopeSchema.safeParse(input);
    return r.success ? null : r.error.issues.map((i) => i.path.join(".") || "(root)").sort();
  };

  it("normalizes advisories and Docker Hub short forms, and refuses references with a tag", () => {
    expect(exceptionScopeSchema.parse({ advisory: "cve-2024-3094" })).toEqual({ advisory: "CVE-2024-3094" });
    expect(exceptionScopeSchema.parse({ imageRepository: "nginx" })).toEqual({ imageRepository: "docker.io/library/nginx" });
    expect(exceptionScopeSchema.parse({ imageRepository: "index.docker.io/acme/api" })).toEqual({ imageRepository: "docker.io/acme/api" });
    expect(exceptionScopeSchema.parse({ imageRepository: " ghcr.io/acme/api " })).toEqual({ imageRepository: "ghcr.io/acme/api" });
    expect(paths({ imageRepository: "ghcr.io/acme/api:1.2" })).toEqual(["imageRepository"]);
    expect(paths({ imageDigest: "sha256:abc" })).toEqual(["imageDigest"]);
  });

  it("is strict, needs a field, one rule id field, and admission-only fields only with a policy", () => {
    expect(paths({})).toEqual(["(root)"]);
    expect(paths({ advisory: "CVE-2024-1", extra: 1 })).toEqual(["(root)"]);
    expect(paths({ advisory: "CVE-2024-1", policyId: "no-privileged" })).toEqual(["policyId"]);
    expect(paths({ container: "app" })).toEqual(["container"]);
    expect(paths({ policyId: "no-privileged", image: "nginx:*", imageDigest: digest() })).toEqual(["image"]);
    expect(paths({ namespace: "kube-*", workload: "Bad_Name" })).toEqual(["namespace", "workload"]);
    expect(paths({ policyId: "no-privileged", namespace: "kube-system", workload: "cilium", kind: "DaemonSet", container: "agent" })).toBeNull();
  });

  it("reads legacy keys; unknown keys are reported so the scope matches nothing", () => {
    expect(readStoredScope({ policy: "no-privileged", resourceName: "cilium", cve: "CVE-1" })).toEqual({ scope: { policyId: "no-privileged", workload: "cilium", advisory: "CVE-1" }, unknownKeys: [] });
    expect(readStoredScope({ policyId: "a", policy: "b" }).scope.policyId).toBe("a");
    expect(readStoredScope({ advisory: "CVE-1", package: "openssl" }).unknownKeys).toEqual(["package"]);
    expect(readStoredScope("nonsense")).toEqual({ scope: {}, unknownKeys: [] });
  });
});

describe("engine exceptions", () => {
  it("write a repository every way a pod spec may name it, each parsing back to it", () => {
    const forms = writtenForms("docker.io/library/nginx");
    expect(forms.sort()).toEqual(["docker.io/library/nginx", "docker.io/nginx", "index.docker.io/library/nginx", "index.docker.io/nginx", "library/nginx", "nginx"]);
    for (const f of forms) expect(parseImageReference(f)).toMatchObject({ ok: true, ref: { registry: "docker.io", repository: "library/nginx" } });
    expect(writtenForms("ghcr.io/acme/api")).toEqual(["ghcr.io/acme/api"]);
    expect(engineImagePatterns("ghcr.io/acme/api", undefined)).toEqual(["ghcr.io/acme/api", "ghcr.io/acme/api:*", "ghcr.io/acme/api@*"]);
    const d = digest();
    expect(engineImagePatterns(undefined, d)).toEqual([`*@${d}`]);
    expect(engineImagePatterns(undefined, undefined)).toBeUndefined();
  });

  it("waive a violation of the repository's image and not of a look-alike repository", () => {
    const row = { id: "ex1", scope: { policyId: "no-privileged", imageRepository: "nginx" }, reason: "r", expiresAt: null };
    const exceptions = toPolicyExceptions(row);
    expect(exceptions).toHaveLength(18);
    const verdict = (image: string) => {
      const input = {
        resource: { kind: "Deployment", name: "web", namespace: "default", containers: [{ name: "app", image }] },
        settings: { now: new Date().toISOString() },
      } as unknown as EvaluationInput;
      const failed = { policyId: "no-privileged", status: "fail", passed: false, violations: [{ message: "privileged", container: "app" }] } as unknown as PolicyResult;
      return engineApply([failed], exceptions, input)[0]!.status;
    };
    expect(verdict("nginx:1.25")).toBe("pass");
    expect(verdict("docker.io/library/nginx@sha256:" + "a".repeat(64))).toBe("pass");
    expect(verdict("nginx")).toBe("pass");
    expect(verdict("nginx-unprivileged:1.25")).toBe("fail");
    expect(verdict("ghcr.io/nginx:1")).toBe("fail");
  });

  it("leave out rows that name no policy, mix a policy with a rule, or hold unknown keys", () => {
    const base = { id: "x", reason: "r", expiresAt: null };
    expect(toPolicyExceptions({ ...base, scope: { advisory: "CVE-1" } })).toEqual([]);
    expect(toPolicyExceptions({ ...base, scope: { policyId: "a", rule: "b" } })).toEqual([]);
    expect(toPolicyExceptions({ ...base, scope: { policyId: "a", owner: "team" } })).toEqual([]);
    expect(toPolicyExceptions({ ...base, scope: { policyId: "a", namespace: "kube-*" } })).toEqual([{ id: "x", policyId: "a", namespace: "kube-*", reason: "r" }]);
  });
});

describe("scope matching on findings", () => {
  async function estate() {
    const org = await makeOrg(db, "scope");
    const c1 = await db.cluster.create({ data: { orgId: org.id, name: "prod" } });
    const c2 = await db.cluster.create({ data: { orgId: org.id, name: "dev" } });
    const ns1 = await db.namespace.create({ data: { orgId: org.id, clusterId: c1.id, name: "payments" } });
    const ns2 = await db.namespace.create({ data: { orgId: org.id, clusterId: c2.id, name: "payments" } });
    const w1 = await db.workload.create({ data: { orgId: org.id, clusterId: c1.id, namespaceId: ns1.id, kind: "Deployment", name: "api", podSpec: {} } });
    const w2 = await db.workload.create({ data: { orgId: org.id, clusterId: c2.id, namespaceId: ns2.id, kind: "DaemonSet", name: "api", podSpec: {} } });
    const api1 = await db.image.create({ data: { orgId: org.id, digest: digest(), registryHost: "ghcr.io", repository: "acme/api", tags: ["1"] } });
    const api2 = await db.image.create({ data: { orgId: org.id, digest: digest(), registryHost: "ghcr.io", repository: "acme/api", tags: ["2"] } });
    const nginx = await db.image.create({ data: { orgId: org.id, digest: digest(), registryHost: "docker.io", repository: "library/nginx", tags: ["1.25"] } });
    const cve = `CVE-2031-${parseInt(uid(), 16)}`;
    const ghsa = `GHSA-${uid()}-xxxx-yyyy`;
    await db.advisory.create({ data: { externalId: ghsa, aliases: [cve], source: "test", modifiedAt: new Date() } });
    const f = async (name: string, data: Partial<Prisma.FindingUncheckedCreateInput> & { ruleId: string }) =>
      [name, await db.finding.create({ data: { orgId: org.id, fingerprint: uid(), type: "VULNERABILITY", severity: "HIGH", title: name, source: "test", ...data } })] as const;
    const findings = Object.fromEntries([
      await f("vulnApi1ByGhsa", { ruleId: ghsa, imageId: api1.id }),
      await f("vulnApi2ByCve", { ruleId: cve, imageId: api2.id }),
      await f("vulnNginx", { ruleId: cve, imageId: nginx.id }),
      await f("runtimeProd", { type: "RUNTIME", ruleId: "Terminal shell in container", source: "falco", clusterId: c1.id, namespaceId: ns1.id, workloadId: w1.id }),
      await f("runtimeDev", { type: "RUNTIME", ruleId: "Terminal shell in container", source: "falco", clusterId: c2.id, namespaceId: ns2.id, workloadId: w2.id }),
      await f("policyProd", { type: "POLICY_VIOLATION", ruleId: "no-privileged", source: "admission", clusterId: c1.id, namespaceId: ns1.id, workloadId: w1.id }),
      // A denied Deployment the inventory never saw: only the decision's evidence names it.
      await f("policyDenied", {
        type: "POLICY_VIOLATION",
        ruleId: "no-privileged",
        source: "admission",
        clusterId: c1.id,
        namespaceId: ns1.id,
        evidence: { cluster: "prod", namespace: "payments", kind: "Deployment", name: "miner" },
      }),
    ]) as Record<string, Finding>;
    return { org, findings, cve, ghsa };
  }

  async function matched(orgId: string, scope: ExceptionScope, names: Record<string, Finding>): Promise<string[]> {
    const byId = new Map(Object.entries(names).map(([n, f]) => [f.id, n]));
    const viaPrisma = (await db.finding.findMany({ where: await findingWhere(db, orgId, scope), select: { id: true } })).map((r) => byId.get(r.id)!).sort();
    const sql = termsSql(orgId, scopeTerms({ scope, unknownKeys: [] }, await resolveLookups(db, orgId, [scope])));
    const viaSql = (await db.$queryRaw<{ id: string }[]>`SELECT f.id FROM "Finding" f WHERE ${sql}`).map((r) => byId.get(r.id)!).sort();
    expect(viaSql, `SQL and Prisma filters agree for ${JSON.stringify(scope)}`).toEqual(viaPrisma);
    return viaPrisma;
  }

  it("matches every field the scope sets, advisories through their aliases, both filters agreeing", async () => {
    const { org, findings: fs, cve, ghsa } = await estate();
    const other = await estate();
    const m = (scope: ExceptionScope) => matched(org.id, scope, fs);
    // Either id of the advisory reaches both spellings; the other organization's findings never.
    expect(await m({ advisory: cve })).toEqual(["vulnApi1ByGhsa", "vulnApi2ByCve", "vulnNginx"]);
    expect(await m({ advisory: ghsa })).toEqual(["vulnApi1ByGhsa", "vulnApi2ByCve", "vulnNginx"]);
    expect(await m({ advisory: other.cve })).toEqual([]);
    expect(await m({ advisory: `CVE-2031-${parseInt(uid(), 16)}` })).toEqual([]);
    expect(await m({ imageRepository: "ghcr.io/acme/api" })).toEqual(["vulnApi1ByGhsa", "vulnApi2ByCve"]);
    expect(await m({ imageRepository: "docker.io/library/nginx" })).toEqual(["vulnNginx"]);
    expect(await m({ advisory: cve, imageRepository: "ghcr.io/acme/api", imageDigest: (await db.image.findUniqueOrThrow({ where: { id: fs.vulnApi2ByCve!.imageId! } })).digest })).toEqual(["vulnApi2ByCve"]);
    expect(await m({ rule: "Terminal shell in container" })).toEqual(["runtimeDev", "runtimeProd"]);
    expect(await m({ rule: "Terminal shell in container", cluster: "prod" })).toEqual(["runtimeProd"]);
    expect(await m({ namespace: "payments" })).toEqual(["policyDenied", "policyProd", "runtimeDev", "runtimeProd"]);
    expect(await m({ workload: "api", kind: "DaemonSet" })).toEqual(["runtimeDev"]);
    expect(await m({ policyId: "no-privileged" })).toEqual(["policyDenied", "policyProd"]);
    expect(await m({ policyId: "no-privileged", workload: "miner" })).toEqual(["policyDenied"]);
    expect(await m({ policyId: "no-privileged", workload: "miner", kind: "StatefulSet" })).toEqual([]);
    // Image findings have no location: a location scope never reaches them.
    expect(await m({ advisory: cve, cluster: "prod" })).toEqual([]);
  });

  it("matches nothing for admission-only fields, unknown keys or an empty scope", async () => {
    const { org, findings } = await estate();
    expect(await matched(org.id, { policyId: "no-privileged", container: "app" }, findings)).toEqual([]);
    expect(await db.finding.count({ where: await findingWhere(db, org.id, readStoredScope({ policyId: "no-privileged", team: "x" })) })).toBe(0);
    expect(await db.finding.count({ where: await findingWhere(db, org.id, readStoredScope({})) })).toBe(0);
  });
});
