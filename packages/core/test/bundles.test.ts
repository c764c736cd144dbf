import { generateKeyPairSync } from "node:crypto";
import { type Db } from "@bulwark/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type OrgContext } from "../src/context.ts";
import { decryptPrivateKey, KeyDecryptionError } from "../src/bundles/key-crypto.ts";
import { ensureSigningKey } from "../src/bundles/signing-key.ts";
import { verifyBundleSignature } from "../src/bundles/verify.ts";
import { ensureCurrentBundle } from "../src/use-cases/ensure-current-bundle.ts";
import { getPublicSigningKey } from "../src/use-cases/get-public-signing-key.ts";
import { bundleEtag, etagMatches, getEnforcementBundle } from "../src/use-cases/get-enforcement-bundle.ts";
import { recordEnforcementHeartbeat } from "../src/use-cases/record-enforcement-heartbeat.ts";
import { setPolicyEnabled } from "../src/use-cases/set-policy-enabled.ts";
import { setPolicyEnforcement } from "../src/use-cases/set-policy-enforcement.ts";
import { caught, makeMember, makeOrg, testDb, uid, userCtx } from "./helpers.ts";

// The signing key is installation-wide, so every test file that signs uses this same secret; a test
// that changes the secret restores the key for it before it ends.
const TEST_KEY_SECRET = "bulwark-test-key-secret";

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

async function adminOrg() {
  const org = await makeOrg(db, "bundle");
  const { user } = await makeMember(db, org.id, "ADMIN");
  return { org, ctx: userCtx(org.id, user, "ADMIN") };
}

function tokenCtx(orgId: string, scopes: string[], clusterId: string | null = null): OrgContext {
  return { orgId, actor: { type: "token", tokenId: `t-${uid()}`, name: "t", scopes, clusterId, registryId: null } };
}


describe("signing key", () => {
  it("is generated once, even by concurrent first calls, and then reused", async () => {
    await db.signingKey.updateMany({ where: { active: true }, data: { active: null, retiredAt: new Date() } });
    const [a, b, c] = await Promise.all([ensureSigningKey(db, TEST_KEY_SECRET), ensureSigningKey(db, TEST_KEY_SECRET), getPublicSigningKey(db, TEST_KEY_SECRET)]);
    expect(b.keyId).toBe(a.keyId);
    expect(c.keyId).toBe(a.keyId);
    expect(await db.signingKey.count({ where: { active: true } })).toBe(1);
    expect((await ensureSigningKey(db, TEST_KEY_SECRET)).keyId).toBe(a.keyId);
    expect(c).toMatchObject({ algorithm: "Ed25519", publicKey: expect.stringContaining("-----BEGIN PUBLIC KEY-----") });
    expect(Buffer.from(c.publicKeyBase64, "base64")).toHaveLength(32);
  });

  it("stores the private key only encrypted; another secret cannot read it and gets a new key, the old one retired", async () => {
    const key = await ensureSigningKey(db, TEST_KEY_SECRET);
    const row = await db.signingKey.findUniqueOrThrow({ where: { keyId: key.keyId } });
    const stored = Buffer.from(row.encryptedPrivateKey);
    const der = key.privateKey.export({ format: "der", type: "pkcs8" });
    const pem = key.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(stored.includes(der)).toBe(false);
    // The 32-byte seed is the secret part of the DER.
    expect(stored.includes(der.subarray(der.length - 32))).toBe(false);
    expect(stored.toString("latin1").includes(pem.split("\n")[1]!)).toBe(false);
    expect(decryptPrivateKey(row.encryptedPrivateKey, TEST_KEY_SECRET, row.keyId).export({ format: "der", type: "pkcs8" })).toEqual(der);
    expect(() => decryptPrivateKey(row.encryptedPrivateKey, "another-secret", row.keyId)).toThrow(KeyDecryptionError);
    // The key id is bound to the ciphertext: the right secret with another id fails too.
    expect(() => decryptPrivateKey(row.encryptedPrivateKey, TEST_KEY_SECRET, "ed25519-0000000000000000")).toThrow(KeyDecryptionError);

    const log = { info: vi.fn(), error: vi.fn() };
    const rotated = await ensureSigningKey(db, "another-secret", log);
    expect(rotated.keyId).not.toBe(key.keyId);
    expect(log.error).toHaveBeenCalledWith({ keyId: key.keyId }, expect.stringMatching(/cannot be decrypted.*retiring it and generating a new key/));
    expect(await db.signingKey.findUniqueOrThrow({ where: { keyId: key.keyId } })).toMatchObject({ active: null, retiredAt: expect.any(Date) });
    expect(await db.signingKey.count({ where: { active: true } })).toBe(1);

    // Back to the shared test secret (itself a rotation), for the other tests.
    const restored = await ensureSigningKey(db, TEST_KEY_SECRET);
    expect(restored.keyId).not.toBe(rotated.keyId);
  });
});

describe("policy bundles", () => {
  it("get a new version exactly when the content changes, signed so that tampering or another key fails", async () => {
    const { org, ctx } = await adminOrg();
    const [first, again] = await Promise.all([ensureCurrentBundle(db, org.id, TEST_KEY_SECRET), ensureCurrentBundle(db, org.id, TEST_KEY_SECRET)]);
    expect(first.version).toBe(1);
    expect(again).toEqual(first);
    expect(await db.policyBundle.count({ where: { orgId: org.id } })).toBe(1);
    expect(first.content).toMatchObject({ schema: 1, orgId: org.id, settings: { trustedRegistries: [], allowedDeployers: [], maxScanAgeHours: 168 } });
    const keys = (first.content.policies as { id: string }[]).map((p) => p.id);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toContain("no-privileged");
    expect(first.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await ensureCurrentBundle(db, org.id, TEST_KEY_SECRET)).version).toBe(1);

    await setPolicyEnforcement(db, ctx, "no-privileged", "ENFORCE");
    const second = await ensureCurrentBundle(db, org.id, TEST_KEY_SECRET);
    expect(second.version).toBe(2);
    expect((second.content.policies as { id: string; enforcement: string }[]).find((p) => p.id === "no-privileged")?.enforcement).toBe("ENFORCE");
    expect((await ensureCurrentBundle(db, org.id, TEST_KEY_SECRET)).version).toBe(2);
    await setPolicyEnabled(db, ctx, "no-privileged", false);
    const third = await ensureCurrentBundle(db, org.id, TEST_KEY_SECRET);
    expect(third.version).toBe(3);
    expect((third.content.policies as { id: string }[]).map((p) => p.id)).not.toContain("no-privileged");

    const pub = await getPublicSigningKey(db, TEST_KEY_SECRET);
    expect(third.keyId).toBe(pub.keyId);
    expect(verifyBundleSignature(third, pub.publicKey)).toBe(true);
    expect(verifyBundleSignature(third, pub.publicKeyBase64)).toBe(true);
    expect(verifyBundleSignature(first, pub.publicKey)).toBe(true);
    expect(verifyBundleSignature({ ...third, version: 4 }, pub.publicKey)).toBe(false);
    expect(verifyBundleSignature({ ...third, createdAt: new Date(0).toISOString() }, pub.publicKey)).toBe(false);
    const tampered = structuredClone(third);
    (tampered.content.policies[0] as { name: string }).name = "Tampered";
    expect(verifyBundleSignature(tampered, pub.publicKey)).toBe(false);
    // Even with the hash recomputed to match, the signature does not.
    const { hashContent } = await import("../src/bundles/content.ts");
    expect(verifyBundleSignature({ ...tampered, contentHash: hashContent(tampered.content) }, pub.publicKey)).toBe(false);
    const other = generateKeyPairSync("ed25519").publicKey;
    expect(verifyBundleSignature(third, other)).toBe(false);
  });

  it("carry approved, unexpired exceptions naming a policy and the trusted registries", async () => {
    const { org } = await adminOrg();
    const before = await ensureCurrentBundle(db, org.id, TEST_KEY_SECRET);
    const day = 24 * 3600 * 1000;
    const kept = await db.exception.create({
      data: { orgId: org.id, kind: "RISK_ACCEPTED", status: "APPROVED", scope: { policyId: "no-privileged", namespace: "kube-system", workload: "cilium" }, reason: "CNI needs it", expiresAt: new Date(Date.now() + day) },
    });
    await db.exception.createMany({
      data: [
        { orgId: org.id, kind: "RISK_ACCEPTED", status: "APPROVED", scope: { policyId: "no-privileged" }, reason: "expired", expiresAt: new Date(Date.now() - day) },
        { orgId: org.id, kind: "RISK_ACCEPTED", status: "REQUESTED", scope: { policyId: "no-privileged" }, reason: "not approved" },
        { orgId: org.id, kind: "FALSE_POSITIVE", status: "APPROVED", scope: { cve: "CVE-2024-1234" }, reason: "not a policy" },
      ],
    });
    await db.registry.createMany({
      data: [
        { orgId: org.id, name: `trusted-${uid()}`, host: "ghcr.io/acme", trusted: true },
        { orgId: org.id, name: `other-${uid()}`, host: "docker.io", trusted: false },
      ],
    });
    const after = await ensureCurrentBundle(db, org.id, TEST_KEY_SECRET);
    expect(after.version).toBe(before.version + 1);
    expect(after.content.exceptions).toEqual([
      { id: kept.id, policyId: "no-privileged", namespace: "kube-system", resourceName: "cilium", reason: "CNI needs it", expiresAt: kept.expiresAt!.toISOString() },
    ]);
    expect(after.content.settings.trustedRegistries).toEqual(["ghcr.io/acme"]);
    expect(verifyBundleSignature(after, (await getPublicSigningKey(db, TEST_KEY_SECRET)).publicKey)).toBe(true);
  });

  it("are served per organization with ETags, 304s and a long-poll that ends on a change or the deadline", async () => {
    const { org, ctx } = await adminOrg();
    const other = await adminOrg();
    const token = tokenCtx(org.id, ["enforcement"]);
    const first = await getEnforcementBundle(db, token, TEST_KEY_SECRET);
    if (!first.modified) throw new Error("expected a bundle");
    expect(first.etag).toBe(bundleEtag(first.bundle));
    expect(first.etag).toMatch(/^"1-[0-9a-f]{16}"$/);
    expect(etagMatches(`W/${first.etag}, "x"`, first.etag)).toBe(true);
    expect(etagMatches('"1-0000"', first.etag)).toBe(false);
    expect(await getEnforcementBundle(db, token, TEST_KEY_SECRET, { ifNoneMatch: first.etag })).toEqual({ modified: false, etag: first.etag });

    const theirs = await getEnforcementBundle(db, tokenCtx(other.org.id, ["policy:read"]), TEST_KEY_SECRET);
    expect(theirs.modified && theirs.bundle.content.orgId).toBe(other.org.id);
    expect((await caught(getEnforcementBundle(db, tokenCtx(org.id, ["ingest", "read"]), TEST_KEY_SECRET))).code).toBe("FORBIDDEN");

    let t0 = Date.now();
    expect((await getEnforcementBundle(db, token, TEST_KEY_SECRET, { ifNoneMatch: first.etag, waitSeconds: 0.6, pollIntervalMs: 100 })).modified).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);

    const abort = new AbortController();
    setTimeout(() => abort.abort(), 150);
    t0 = Date.now();
    expect((await getEnforcementBundle(db, token, TEST_KEY_SECRET, { ifNoneMatch: first.etag, waitSeconds: 30, pollIntervalMs: 100, signal: abort.signal })).modified).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);

    setTimeout(() => void setPolicyEnforcement(db, ctx, "no-privileged", "ENFORCE"), 300);
    const changed = await getEnforcementBundle(db, token, TEST_KEY_SECRET, { ifNoneMatch: first.etag, waitSeconds: 10, pollIntervalMs: 100 });
    expect(changed.modified && changed.bundle.version).toBe(2);
  });
});

describe("enforcement heartbeats", () => {
  it("upsert one point per name, bind cluster tokens to their cluster and need the enforcement scope", async () => {
    const { org, ctx } = await adminOrg();
    const cluster = await db.cluster.create({ data: { orgId: org.id, name: `prod-${uid()}` } });
    const token = tokenCtx(org.id, ["enforcement"]);
    const a = await recordEnforcementHeartbeat(db, token, { name: "edge-1", agentVersion: "0.1.0", bundleVersion: null });
    const b = await recordEnforcementHeartbeat(db, token, { name: "edge-1", agentVersion: "0.1.1", bundleVersion: 3, cluster: cluster.name });
    expect(b.id).toBe(a.id);
    expect(b).toMatchObject({ agentVersion: "0.1.1", bundleVersion: 3, clusterId: cluster.id, lastHeartbeatAt: expect.any(Date) });
    await Promise.all([1, 2, 3].map(() => recordEnforcementHeartbeat(db, token, { name: "edge-2", agentVersion: "0.1.0", bundleVersion: 1 })));
    expect(await db.enforcementPoint.count({ where: { orgId: org.id } })).toBe(2);

    const bound = tokenCtx(org.id, ["enforcement"], cluster.id);
    expect(await recordEnforcementHeartbeat(db, bound, { name: "edge-3", agentVersion: "0.1.0", bundleVersion: 1 })).toMatchObject({ clusterId: cluster.id });
    expect((await caught(recordEnforcementHeartbeat(db, bound, { name: "edge-3", agentVersion: "0.1.0", bundleVersion: 1, cluster: "elsewhere" }))).code).toBe("FORBIDDEN");
    expect((await caught(recordEnforcementHeartbeat(db, tokenCtx(org.id, ["policy:read"]), { name: "x", agentVersion: "1", bundleVersion: 1 }))).code).toBe("FORBIDDEN");
    expect((await caught(recordEnforcementHeartbeat(db, ctx, { name: "x", agentVersion: "1", bundleVersion: 1 }))).code).toBe("FORBIDDEN");
    const bad = await caught(recordEnforcementHeartbeat(db, token, { name: "-bad-", agentVersion: "", bundleVersion: -1 }));
    expect(bad.fields?.map((f) => f.path).sort()).toEqual(["agentVersion", "bundleVersion", "name"]);

    // Another organization's point of the same name is its own row.
    const other = await adminOrg();
    const theirs = await recordEnforcementHeartbeat(db, tokenCtx(other.org.id, ["enforcement"]), { name: "edge-1", agentVersion: "9", bundleVersion: 1 });
    expect(theirs.id).not.toBe(a.id);
  });
});
