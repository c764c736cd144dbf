import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BundleHolder } from "../src/bundle-state.ts";
import { BUNDLE_FILE } from "../src/bundle-store.ts";
import { Metrics } from "../src/metrics.ts";
import { bundleContent, builtinDefinitions, type Key, signBundle, signingKey, silentLog, tempDir } from "./helpers.ts";

// The bundle in force: only verified, newer bundles replace it; the last good one is kept on disk and
// verified again when loaded.

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function holder(key: Key, opts: { orgId?: string; dir?: string } = {}) {
  const dir = opts.dir ?? (() => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  })();
  const metrics = new Metrics();
  return { h: new BundleHolder({ publicKey: key.publicKey, orgId: opts.orgId, stateDir: dir, log: silentLog, metrics }), dir, metrics };
}

describe("BundleHolder", () => {
  it("installs a verified bundle, compiles it once, and writes it atomically to disk", async () => {
    const key = signingKey();
    const { h, dir } = holder(key);
    const b1 = signBundle(key, 1, bundleContent(builtinDefinitions({ "no-privileged": { enforcement: "ENFORCE" } }), { exceptions: [{ id: "ex1", policyId: "no-privileged", namespace: "kube-system" }, { policyId: "" } as never] }));
    expect(await h.offer(b1, "central")).toEqual({ accepted: true, changed: true });
    expect(h.active?.bundle.version).toBe(1);
    expect(h.active?.policies.find((p) => p.id === "no-privileged")?.enforcement).toBe("ENFORCE");
    // An exception the engine would refuse is left out rather than breaking the bundle.
    expect(h.active?.exceptions).toEqual([{ id: "ex1", policyId: "no-privileged", namespace: "kube-system" }]);
    expect(JSON.parse(readFileSync(path.join(dir, BUNDLE_FILE), "utf8"))).toEqual(b1);
    expect(readdirSync(dir)).toEqual([BUNDLE_FILE]);
    expect(await h.offer(b1, "central")).toEqual({ accepted: true, changed: false });
  });

  it("rejects tampered, foreign, older and conflicting bundles and keeps the last good one (in memory and on disk)", async () => {
    const key = signingKey();
    const { h, dir, metrics } = holder(key);
    const b2 = signBundle(key, 2);
    await h.offer(b2, "central");
    const onDisk = readFileSync(path.join(dir, BUNDLE_FILE), "utf8");
    const offers: Array<[string, unknown, RegExp]> = [
      ["bad signature", { ...signBundle(key, 3), signature: signBundle(key, 4).signature }, /bad signature/],
      ["changed content", { ...signBundle(key, 3), content: bundleContent([]) }, /does not match its contentHash/],
      ["changed hash", { ...signBundle(key, 3), contentHash: `sha256:${"0".repeat(64)}` }, /does not match/],
      ["other key", signBundle(signingKey(), 3), /configured public key/],
      ["other organization", signBundle(key, 3, bundleContent(undefined, { orgId: "org_other" })), /for organization org_other/],
      ["older version", signBundle(key, 1), /version 1 is older than version 2 in force/],
      ["same version, other content", signBundle(key, 2, bundleContent([])), /version 2 is in force with other content/],
    ];
    for (const [what, raw, reason] of offers) {
      const offer = await h.offer(raw, "central");
      expect(offer.accepted, what).toBe(false);
      if (!offer.accepted) expect(offer.reason, what).toMatch(reason);
      expect(h.active?.bundle, what).toEqual(b2);
    }
    expect(readFileSync(path.join(dir, BUNDLE_FILE), "utf8")).toBe(onDisk);
    expect(metrics.value("bulwark_enforcer_bundle_rejected_total", { source: "central" })).toBe(offers.length);
    expect((await h.offer(signBundle(key, 5), "central")).accepted).toBe(true);
  });

  it("pins the configured organization even for the first bundle", async () => {
    const key = signingKey();
    const { h } = holder(key, { orgId: "org_mine" });
    expect((await h.offer(signBundle(key, 1), "central")).accepted).toBe(false);
    expect((await h.offer(signBundle(key, 1, bundleContent(undefined, { orgId: "org_mine" })), "central")).accepted).toBe(true);
  });

  it("loads the stored bundle at start after verifying it again; a tampered or broken file is not used", async () => {
    const key = signingKey();
    const first = holder(key);
    const b7 = signBundle(key, 7);
    await first.h.offer(b7, "central");

    const restarted = holder(key, { dir: first.dir });
    expect(await restarted.h.loadFromDisk()).toBe(true);
    expect(restarted.h.active?.bundle).toEqual(b7);

    const file = path.join(first.dir, BUNDLE_FILE);
    writeFileSync(file, JSON.stringify({ ...b7, content: bundleContent([]) }));
    const tampered = holder(key, { dir: first.dir });
    expect(await tampered.h.loadFromDisk()).toBe(false);
    expect(tampered.h.active).toBeNull();
    writeFileSync(file, "{half a bund");
    expect(await holder(key, { dir: first.dir }).h.loadFromDisk()).toBe(false);
    // Another key (central's key replaced and the enforcer reconfigured) does not accept the old file either.
    writeFileSync(file, JSON.stringify(b7));
    expect(await holder(signingKey(), { dir: first.dir }).h.loadFromDisk()).toBe(false);
  });

  it("leaves out policies this engine cannot compile and enforces the rest", async () => {
    const key = signingKey();
    const { h } = holder(key);
    const defs = [...builtinDefinitions({ "no-privileged": { enforcement: "ENFORCE" } }), { id: "future-rule", name: "From a newer engine", severity: "HIGH", rule: { type: "wasm", module: "x" } }];
    expect((await h.offer(signBundle(key, 1, bundleContent(defs)), "central")).accepted).toBe(true);
    expect(h.active?.skipped.map((s) => s.id)).toEqual(["future-rule"]);
    expect(h.active?.policies.some((p) => p.id === "no-privileged")).toBe(true);
  });
});
