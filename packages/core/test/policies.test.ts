import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { BUILTIN_POLICIES } from "@bulwark/policy";
import { type OrgContext } from "../src/context.ts";
import { ensureBuiltinPolicies } from "../src/use-cases/ensure-builtin-policies.ts";
import { listPolicies } from "../src/use-cases/list-policies.ts";
import { getPolicy } from "../src/use-cases/get-policy.ts";
import { createPolicy } from "../src/use-cases/create-policy.ts";
import { updatePolicy } from "../src/use-cases/update-policy.ts";
import { setPolicyEnabled } from "../src/use-cases/set-policy-enabled.ts";
import { setPolicyEnforcement } from "../src/use-cases/set-policy-enforcement.ts";
import { clonePolicy } from "../src/use-cases/clone-policy.ts";
import { deletePolicy } from "../src/use-cases/delete-policy.ts";
import { listPolicyVersions } from "../src/use-cases/list-policy-versions.ts";
import { getPolicyVersion } from "../src/use-cases/get-policy-version.ts";
import { revertPolicy } from "../src/use-cases/revert-policy.ts";
import { loadPolicySet } from "../src/use-cases/load-policy-set.ts";
import { caught, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});


async function adminOrg(role: "OWNER" | "ADMIN" = "ADMIN") {
  const org = await makeOrg(db, "pol");
  const { user } = await makeMember(db, org.id, role);
  return { org, user, ctx: userCtx(org.id, user, role) };
}

const celDef = (id: string, expression = "containers.exists(c, c.?securityContext.?privileged.orValue(false))") => ({
  id,
  name: `Custom ${id}`,
  severity: "HIGH",
  category: "Custom checks",
  rule: { type: "cel", expression },
});

function tokenCtx(orgId: string, scopes: string[]): OrgContext {
  return { orgId, actor: { type: "token", tokenId: `t-${uid()}`, name: "t", scopes, clusterId: null, registryId: null } };
}

describe("built-in policies", () => {
  it("are seeded once per organization, idempotently, as version 1", async () => {
    const { org, ctx } = await adminOrg();
    const first = await ensureBuiltinPolicies(db, org.id);
    expect(first.created).toHaveLength(BUILTIN_POLICIES.length);
    expect((await ensureBuiltinPolicies(db, org.id)).created).toEqual([]);
    // Concurrent first reads of another organization insert each built-in once.
    const other = await makeOrg(db, "pol");
    await Promise.all([ensureBuiltinPolicies(db, other.id), ensureBuiltinPolicies(db, other.id)]);
    expect(await db.policy.count({ where: { orgId: other.id } })).toBe(BUILTIN_POLICIES.length);
    expect(await db.policyVersion.count({ where: { orgId: other.id } })).toBe(BUILTIN_POLICIES.length);

    const { policies } = await listPolicies(db, ctx);
    expect(policies).toHaveLength(BUILTIN_POLICIES.length);
    expect(await db.policy.count({ where: { orgId: org.id } })).toBe(BUILTIN_POLICIES.length);
    const p = await getPolicy(db, ctx, "no-privileged");
    expect(p).toMatchObject({ key: "no-privileged", builtin: true, enabled: true, currentVersion: 1, definition: { id: "no-privileged", rule: { type: "builtin", id: "no-privileged" } } });
    expect(p.versions).toEqual([expect.objectContaining({ version: 1, message: "Built-in", authorId: null })]);
    // Most severe first, then by key.
    const ranks = policies.map((x) => ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"].indexOf(x.severity));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(await db.auditLog.count({ where: { orgId: org.id, action: "policy.builtins_added" } })).toBe(1);
  });

  it("keeps an organization's changes and only adds missing built-ins", async () => {
    const { org, ctx } = await adminOrg();
    await ensureBuiltinPolicies(db, org.id);
    await setPolicyEnforcement(db, ctx, "no-privileged", "ENFORCE");
    // Simulate a release that adds a built-in this organization does not have yet.
    await db.policy.delete({ where: { orgId_key: { orgId: org.id, key: "no-malware" } } });
    expect((await ensureBuiltinPolicies(db, org.id)).created).toEqual(["no-malware"]);
    const p = await getPolicy(db, ctx, "no-privileged");
    expect(p).toMatchObject({ enforcement: "ENFORCE", currentVersion: 2 });
  });

  it("cannot be deleted or have their rule or metadata changed; enforcement, scope and enabled can", async () => {
    const { ctx } = await adminOrg();
    await listPolicies(db, ctx);
    expect((await caught(deletePolicy(db, ctx, "no-privileged"))).code).toBe("CONFLICT");
    const current = (await getPolicy(db, ctx, "no-privileged")).definition;
    const bad = await caught(updatePolicy(db, ctx, "no-privileged", { definition: { ...current, rule: { type: "cel", expression: "false" } } }));
    expect(bad.code).toBe("VALIDATION_FAILED");
    expect(bad.message).toMatch(/clone it/);
    expect(bad.fields?.map((f) => f.path)).toEqual(["definition.rule"]);
    expect((await caught(updatePolicy(db, ctx, "no-privileged", { definition: { ...current, severity: "LOW" } }))).fields?.[0]?.path).toBe("definition.severity");

    // Omitted metadata is kept; the editable fields follow the request.
    const { policy, changed } = await updatePolicy(db, ctx, "no-privileged", {
      definition: { id: "no-privileged", enforcement: "ENFORCE", exclusions: [{ namespaces: ["kube-system"] }] },
      message: "Block outside kube-system",
    });
    expect(changed).toBe(true);
    expect(policy).toMatchObject({ enforcement: "ENFORCE", currentVersion: 2, severity: current.severity, name: current.name });
    expect(policy.definition).toMatchObject({ rule: { type: "builtin", id: "no-privileged" }, exclusions: [{ namespaces: ["kube-system"] }], mitre: current.mitre });

    // Rolled out cluster by cluster: a per-cluster override is an editable field of a built-in too.
    const rolled = await updatePolicy(db, ctx, "no-privileged", { definition: { id: "no-privileged", enforcement: "AUDIT", clusterEnforcement: { prod: "ENFORCE", staging: "WARN" } }, message: "prod first" });
    expect(rolled.policy.definition).toMatchObject({ enforcement: "AUDIT", clusterEnforcement: { prod: "ENFORCE", staging: "WARN" } });
    const bad2 = await caught(updatePolicy(db, ctx, "no-privileged", { definition: { id: "no-privileged", clusterEnforcement: { prod: "BLOCK" } } }));
    expect(bad2.fields?.[0]?.path).toBe("definition.clusterEnforcement.prod");
  });
});

describe("custom policies", () => {
  it("rejects a bad CEL rule naming definition.rule.expression with line and column; nothing is stored", async () => {
    const { org, ctx } = await adminOrg();
    const key = `bad-${uid()}`;
    const err = await caught(createPolicy(db, ctx, { definition: celDef(key, "containers.exists(c,\n  c.name ==)") }));
    expect(err.code).toBe("VALIDATION_FAILED");
    const field = err.fields?.find((f) => f.path === "definition.rule.expression");
    expect(field?.message).toMatch(/line 2, column \d+/);
    const noName = await caught(createPolicy(db, ctx, { definition: { id: key, severity: "LOW", rule: { type: "cel", expression: "true" } } }));
    expect(noName.fields?.[0]?.path).toBe("definition.name");
    expect(await db.policy.count({ where: { orgId: org.id, key } })).toBe(0);
  });

  it("refuses keys of built-ins and existing policies (409)", async () => {
    const { ctx } = await adminOrg();
    expect((await caught(createPolicy(db, ctx, { definition: celDef("no-privileged") }))).code).toBe("CONFLICT");
    const key = `dup-${uid()}`;
    await createPolicy(db, ctx, { definition: celDef(key) });
    expect((await caught(createPolicy(db, ctx, { definition: celDef(key) }))).code).toBe("CONFLICT");
    // Path segments of the UI and API next to policy keys.
    for (const reserved of ["new", "preview"]) {
      const err = await caught(createPolicy(db, ctx, { definition: celDef(reserved) }));
      expect([err.code, err.message]).toEqual(["CONFLICT", `'${reserved}' is reserved; choose another key`]);
    }
  });

  it("versions every change with author and message; no-op saves, stale versions and key changes do not pass", async () => {
    const { org, user, ctx } = await adminOrg();
    const key = `ver-${uid()}`;
    const created = await createPolicy(db, ctx, { definition: celDef(key), message: "First cut" });
    expect(created).toMatchObject({ key, builtin: false, currentVersion: 1, severity: "HIGH", enforcement: "AUDIT", enabled: true, ruleType: "cel" });

    const v2 = await updatePolicy(db, ctx, key, { definition: { ...celDef(key), severity: "CRITICAL" }, message: "Raise", expectedVersion: 1 });
    expect(v2).toMatchObject({ changed: true, policy: { currentVersion: 2, severity: "CRITICAL" } });
    // The same definition again (keys in another order) is not a change.
    const same = await updatePolicy(db, ctx, key, { definition: { rule: celDef(key).rule, severity: "CRITICAL", id: key, category: "Custom checks", name: `Custom ${key}` } });
    expect(same).toMatchObject({ changed: false, policy: { currentVersion: 2 } });
    expect((await caught(updatePolicy(db, ctx, key, { definition: { ...celDef(key), severity: "LOW" }, expectedVersion: 1 }))).code).toBe("CONFLICT");
    expect((await caught(updatePolicy(db, ctx, key, { definition: celDef(`other-${uid()}`) }))).fields?.[0]?.path).toBe("definition.id");
    const badRule = await caught(updatePolicy(db, ctx, key, { definition: celDef(key, "1 + 'a'") }));
    expect(badRule.fields?.[0]?.path).toBe("definition.rule.expression");

    await setPolicyEnabled(db, ctx, key, false);
    await setPolicyEnforcement(db, ctx, key, "WARN");
    expect((await setPolicyEnforcement(db, ctx, key, "WARN")).changed).toBe(false);
    expect((await caught(setPolicyEnforcement(db, ctx, key, "BLOCK"))).fields?.[0]?.path).toBe("enforcement");

    const { versions, currentVersion } = await listPolicyVersions(db, ctx, key);
    expect(currentVersion).toBe(4);
    expect(versions.map((v) => [v.version, v.message, v.authorEmail])).toEqual([
      [4, "Enforcement WARN", user.email],
      [3, "Disabled", user.email],
      [2, "Raise", user.email],
      [1, "First cut", user.email],
    ]);
    const p = await getPolicy(db, ctx, key);
    expect(p).toMatchObject({ enabled: false, enforcement: "WARN", definition: { disabled: true, enforcement: "WARN" } });
    const actions = (await db.auditLog.findMany({ where: { orgId: org.id, targetType: "policy" }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions.filter((a) => a !== "policy.builtins_added")).toEqual(["policy.created", "policy.updated", "policy.disabled", "policy.enforcement_changed"]);
    const audit = await db.auditLog.findFirstOrThrow({ where: { orgId: org.id, action: "policy.updated" } });
    expect(audit).toMatchObject({ actorType: "USER", actorId: user.id });
    expect(audit.metadata).toMatchObject({ key, version: 2, message: "Raise", changed: ["severity"] });
  });

  it("reverts to an old version as a new version", async () => {
    const { ctx } = await adminOrg();
    const key = `rev-${uid()}`;
    await createPolicy(db, ctx, { definition: celDef(key) });
    await updatePolicy(db, ctx, key, { definition: { ...celDef(key, "containers.size() > 3"), severity: "LOW" } });
    const r = await revertPolicy(db, ctx, key, { version: 1 });
    expect(r).toMatchObject({ changed: true, policy: { currentVersion: 3, severity: "HIGH" } });
    expect(r.policy.definition).toEqual((await getPolicyVersion(db, ctx, key, 1)).definition);
    expect((await getPolicyVersion(db, ctx, key, "3")).message).toBe("Reverted to version 1");
    expect((await revertPolicy(db, ctx, key, { version: 1 })).changed).toBe(false);
    expect((await caught(revertPolicy(db, ctx, key, { version: 9 }))).code).toBe("NOT_FOUND");
    expect((await caught(getPolicyVersion(db, ctx, key, 9))).code).toBe("NOT_FOUND");
  });

  it("clones a built-in into an editable custom policy keeping its native check, and deletes custom ones", async () => {
    const { org, ctx } = await adminOrg();
    const key = `strict-priv-${uid()}`;
    const clone = await clonePolicy(db, ctx, "no-privileged", { newKey: key, name: "Strict privileged" });
    expect(clone).toMatchObject({ key, builtin: false, name: "Strict privileged", currentVersion: 1, definition: { rule: { type: "builtin", id: "no-privileged" } } });
    expect((await caught(clonePolicy(db, ctx, "no-privileged", { newKey: key }))).code).toBe("CONFLICT");
    expect((await caught(clonePolicy(db, ctx, "no-privileged", { newKey: "no-malware" }))).code).toBe("CONFLICT");
    // As a custom policy its metadata is the organization's.
    const edited = await updatePolicy(db, ctx, key, { definition: { ...clone.definition, severity: "CRITICAL", stages: ["DEPLOY"] } });
    expect(edited.policy).toMatchObject({ severity: "CRITICAL", stages: ["DEPLOY"] });
    expect((await getPolicyVersion(db, ctx, key, 1)).message).toBe("Cloned from no-privileged version 1");

    expect(await deletePolicy(db, ctx, key)).toEqual({ key, deleted: true });
    expect(await db.policy.count({ where: { orgId: org.id, key } })).toBe(0);
    expect(await db.policyVersion.count({ where: { orgId: org.id, policy: { key } } })).toBe(0);
    expect(await db.auditLog.count({ where: { orgId: org.id, action: { in: ["policy.cloned", "policy.deleted"] } } })).toBe(2);
    expect((await caught(getPolicy(db, ctx, key))).code).toBe("NOT_FOUND");
  });

  it("lists with filters", async () => {
    const { ctx } = await adminOrg();
    const key = `zz-filter-${uid()}`;
    await createPolicy(db, ctx, { definition: { ...celDef(key), stages: ["BUILD"], enforcement: "WARN" } });
    const q = await listPolicies(db, ctx, { q: key.slice(0, 12).toUpperCase() });
    expect(q.policies.map((p) => p.key)).toEqual([key]);
    expect((await listPolicies(db, ctx, { builtin: "false" })).policies.map((p) => p.key)).toEqual([key]);
    expect((await listPolicies(db, ctx, { stage: "BUILD", enforcement: "WARN", category: "custom checks" })).policies.map((p) => p.key)).toEqual([key]);
    expect((await listPolicies(db, ctx, { stage: "DEPLOY" })).policies.some((p) => p.key === key)).toBe(false);
    const high = await listPolicies(db, ctx, { severity: "HIGH", enabled: "true" });
    expect(high.policies.every((p) => p.severity === "HIGH")).toBe(true);
    expect(high.policies.map((p) => p.key)).toContain(key);
    expect((await caught(listPolicies(db, ctx, { severity: "SEVERE" }))).fields?.[0]?.path).toBe("severity");
  });
});

describe("authorization and tenancy", () => {
  it("VIEWER and ANALYST read but cannot change (403), and nothing changes", async () => {
    const { org, ctx: admin } = await adminOrg();
    const key = `ro-${uid()}`;
    await createPolicy(db, admin, { definition: celDef(key) });
    for (const role of ["VIEWER", "ANALYST"] as const) {
      const { user } = await makeMember(db, org.id, role);
      const ctx = userCtx(org.id, user, role);
      expect((await listPolicies(db, ctx)).policies.length).toBeGreaterThan(0);
      expect((await getPolicy(db, ctx, key)).key).toBe(key);
      const attempts = [
        () => createPolicy(db, ctx, { definition: celDef(`x-${uid()}`) }),
        () => updatePolicy(db, ctx, key, { definition: { ...celDef(key), severity: "LOW" } }),
        () => setPolicyEnabled(db, ctx, key, false),
        () => setPolicyEnforcement(db, ctx, "no-privileged", "ENFORCE"),
        () => clonePolicy(db, ctx, key, { newKey: `c-${uid()}` }),
        () => deletePolicy(db, ctx, key),
        () => revertPolicy(db, ctx, key, { version: 1 }),
      ];
      for (const attempt of attempts) expect((await caught(attempt())).status).toBe(403);
    }
    expect(await db.policy.count({ where: { orgId: org.id, builtin: false } })).toBe(1);
    expect((await getPolicy(db, admin, key)).currentVersion).toBe(1);
    expect((await getPolicy(db, admin, "no-privileged")).currentVersion).toBe(1);
    // Tokens read with read or policy:read, never write.
    expect((await listPolicies(db, tokenCtx(org.id, ["policy:read"]))).policies.length).toBeGreaterThan(0);
    expect((await caught(listPolicies(db, tokenCtx(org.id, ["ingest"])))).status).toBe(403);
    expect((await caught(createPolicy(db, tokenCtx(org.id, ["read", "policy:read"]), { definition: celDef(`t-${uid()}`) }))).status).toBe(403);
  });

  it("another organization's policy is a 404 for every operation", async () => {
    const a = await adminOrg("OWNER");
    const b = await adminOrg("OWNER");
    const key = `mine-${uid()}`;
    await createPolicy(db, a.ctx, { definition: celDef(key) });
    const ops = [
      () => getPolicy(db, b.ctx, key),
      () => updatePolicy(db, b.ctx, key, { definition: celDef(key) }),
      () => setPolicyEnabled(db, b.ctx, key, false),
      () => deletePolicy(db, b.ctx, key),
      () => clonePolicy(db, b.ctx, key, { newKey: `steal-${uid()}` }),
      () => listPolicyVersions(db, b.ctx, key),
      () => getPolicyVersion(db, b.ctx, key, 1),
      () => revertPolicy(db, b.ctx, key, { version: 1 }),
    ];
    for (const op of ops) expect((await caught(op())).code).toBe("NOT_FOUND");
    // The same key in another organization is an independent policy.
    await createPolicy(db, b.ctx, { definition: { ...celDef(key), severity: "LOW" } });
    expect((await getPolicy(db, a.ctx, key)).severity).toBe("HIGH");
    expect((await listPolicies(db, b.ctx, { builtin: false })).policies.map((p) => p.key)).toEqual([key]);
    expect(await db.auditLog.count({ where: { orgId: b.org.id, action: { startsWith: "policy." }, NOT: { action: { in: ["policy.builtins_added", "policy.created"] } } } })).toBe(0);
  });
});

describe("loadPolicySet", () => {
  it("compiles enabled policies only; its version changes when a policy changes and is cached otherwise", async () => {
    const { org, ctx } = await adminOrg();
    const key = `set-${uid()}`;
    await createPolicy(db, ctx, { definition: celDef(key) });
    const first = await loadPolicySet(db, org.id);
    expect(first.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.errors).toEqual([]);
    expect(first.compiled.map((p) => p.id).sort()).toEqual([...BUILTIN_POLICIES.map((b) => b.id), key].sort());
    expect(await loadPolicySet(db, org.id)).toBe(first);

    await setPolicyEnabled(db, ctx, "no-latest-tag", false);
    const second = await loadPolicySet(db, org.id);
    expect(second.version).not.toBe(first.version);
    expect(second.compiled.some((p) => p.id === "no-latest-tag")).toBe(false);

    await setPolicyEnforcement(db, ctx, key, "ENFORCE");
    const third = await loadPolicySet(db, org.id);
    expect(third.version).not.toBe(second.version);
    expect(third.compiled.find((p) => p.id === key)?.enforcement).toBe("ENFORCE");

    // Enabling it again returns to an identical set, hence the same version.
    await setPolicyEnabled(db, ctx, "no-latest-tag", true);
    await setPolicyEnforcement(db, ctx, key, "AUDIT");
    expect((await loadPolicySet(db, org.id)).version).toBe(first.version);
  });
});
