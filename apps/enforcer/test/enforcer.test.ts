import https from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import { createEnforcer } from "../src/enforcer.ts";
import { ENFORCER_VERSION } from "../src/version.ts";
import { bundleContent, builtinDefinitions, eventually, FakeCentral, privilegedPod, review, selfSignedCert, signBundle, signingKey, silentLog, tempDir, testConfig } from "./helpers.ts";

// The enforcer as it runs: HTTPS with a certificate from a file, the bundle kept current by long-poll,
// tampered and older bundles refused while the last good one keeps enforcing, heartbeats, and a
// restart while central is down that still enforces from the bundle on disk.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function postTls(port: number, ca: Buffer, body: unknown): Promise<{ status: number; json: { response: { uid: string; allowed: boolean; status?: { message: string }; warnings?: string[] } } }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = https.request({ host: "127.0.0.1", port, path: "/validate", method: "POST", ca, servername: "localhost", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
    });
    req.on("error", reject);
    req.end(data);
  });
}

const policiesWith = (mode: string) => bundleContent(builtinDefinitions({ "no-privileged": { enforcement: mode } }));

describe("enforcer", () => {
  it("serves HTTPS, follows central's bundle, refuses tampered and older ones, heartbeats, and reports decisions on shutdown", async () => {
    const key = signingKey();
    const state = tempDir();
    cleanups.push(state.cleanup);
    const tls = selfSignedCert(state.dir);
    const central = await new FakeCentral().start();
    cleanups.push(() => central.stop());
    central.publish(signBundle(key, 1, policiesWith("WARN")));

    const enforcer = createEnforcer(testConfig(key, `${state.dir}/state`, { bulwarkUrl: central.url, tls: { certFile: tls.certFile, keyFile: tls.keyFile }, decisionFlushMs: 60_000 }), { log: silentLog });
    const { port } = await enforcer.start();
    cleanups.push(() => enforcer.stop({ delayMs: 0, flushDeadlineMs: 500 }));
    await eventually(() => expect(enforcer.holder.active?.bundle.version).toBe(1));

    const warned = await postTls(port, tls.cert, review(privilegedPod()));
    expect(warned.status).toBe(200);
    expect(warned.json.response.allowed).toBe(true);
    expect(warned.json.response.warnings?.[0]).toMatch(/^\[no-privileged\]/);

    // An admin switches no-privileged to ENFORCE: the waiting long-poll returns the new bundle.
    central.publish(signBundle(key, 2, policiesWith("ENFORCE")));
    await eventually(() => expect(enforcer.holder.active?.bundle.version).toBe(2));
    expect((await postTls(port, tls.cert, review(privilegedPod()))).json.response.allowed).toBe(false);
    // It asked with If-None-Match naming version 1 and ?wait=, and central answered when version 2 existed.
    expect(central.requests.some((r) => r.path.endsWith("/bundle") && r.search === "?wait=2" && r.headers["if-none-match"]?.startsWith('"1-'))).toBe(true);

    // Tampered (content swapped under a valid signature) and older bundles are refused; version 2 stays.
    const v3 = signBundle(key, 3, policiesWith("AUDIT"));
    central.publish({ ...v3, content: policiesWith("AUDIT"), signature: signBundle(key, 3, policiesWith("WARN")).signature });
    await eventually(() => expect(enforcer.metrics.value("bulwark_enforcer_bundle_rejected_total", { source: "central" })).toBeGreaterThanOrEqual(1));
    central.publish(signBundle(key, 1, policiesWith("AUDIT")));
    await eventually(() => expect(enforcer.metrics.value("bulwark_enforcer_bundle_rejected_total", { source: "central" })).toBeGreaterThanOrEqual(2), 8000);
    expect(enforcer.holder.active?.bundle.version).toBe(2);
    const denied = review(privilegedPod());
    expect((await postTls(port, tls.cert, denied)).json.response.allowed).toBe(false);

    // A heartbeat at start and one as soon as each bundle takes effect.
    await eventually(() => expect(central.heartbeats.map((h) => h.bundleVersion)).toContain(2));
    expect(central.heartbeats.at(-1)).toEqual({ name: "prod-eu-1-enforcer", agentVersion: ENFORCER_VERSION, bundleVersion: 2, cluster: "prod-eu-1", excludedNamespaces: ["kube-system", "bulwark-system"] });

    // Decisions wait for the (long) flush interval; a graceful stop reports them.
    expect(central.decisionBatches).toHaveLength(0);
    await enforcer.stop({ delayMs: 0 });
    expect(central.decisionBatches.flatMap((b) => b.decisions).map((d) => d.uid)).toContain(denied.request.uid);
    expect(central.decisionBatches.flatMap((b) => b.decisions)).toHaveLength(3);
  });

  it("restarted while central is down, enforces the bundle stored on disk", async () => {
    const key = signingKey();
    const state = tempDir();
    cleanups.push(state.cleanup);
    const central = await new FakeCentral().start();
    central.publish(signBundle(key, 4, policiesWith("ENFORCE")));
    const first = createEnforcer(testConfig(key, state.dir, { bulwarkUrl: central.url }), { log: silentLog });
    await first.start();
    await eventually(() => expect(first.holder.active?.bundle.version).toBe(4));
    await first.stop({ delayMs: 0, flushDeadlineMs: 500 });
    await central.stop();

    const restarted = createEnforcer(testConfig(key, state.dir, { bulwarkUrl: central.url }), { log: silentLog });
    const { port } = await restarted.start();
    cleanups.push(() => restarted.stop({ delayMs: 0, flushDeadlineMs: 200 }));
    expect(restarted.holder.active?.bundle.version).toBe(4);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const res = await fetch(`http://127.0.0.1:${port}/validate`, { method: "POST", body: JSON.stringify(review(privilegedPod())) });
    const json = (await res.json()) as { response: { allowed: boolean; status?: { message: string } } };
    expect(json.response.allowed).toBe(false);
    expect(json.response.status?.message).toContain("[no-privileged]");
    await eventually(() => expect(restarted.metrics.value("bulwark_enforcer_bundle_fetch_errors_total")).toBeGreaterThanOrEqual(1));
    expect(restarted.reporter.queued).toBe(1);
  });
});
