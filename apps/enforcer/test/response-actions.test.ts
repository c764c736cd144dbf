import { readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import { type IncomingMessage } from "node:http";
import { type AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEnforcer } from "../src/enforcer.ts";
import { EnvError, parseEnforcerEnv } from "../src/env.ts";
import { eventually, FakeCentral, selfSignedCert, signingKey, silentLog, tempDir, testConfig } from "./helpers.ts";

// Runtime response actions end to end: the enforcer claims actions from central (a fake central on
// loopback, talked to with the real client), carries them out against a fake Kubernetes API server
// over HTTPS (its own CA, the service account token as bearer) and reports each result: done, skipped
// when the target is gone (404) or when only reporting, failed with the API's message otherwise.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface KubeCall {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** The Kubernetes API as far as the enforcer uses it: answers by "METHOD path", 404 Status for anything else. */
async function fakeKube(dir: string, answers: Record<string, { status: number; body?: unknown }>) {
  const tls = selfSignedCert(dir);
  const calls: KubeCall[] = [];
  const server = https.createServer({ cert: tls.cert, key: readFileSync(tls.keyFile) }, (req: IncomingMessage, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      calls.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization, contentType: req.headers["content-type"], body });
      const answer = answers[`${req.method} ${req.url}`] ?? { status: 404, body: { kind: "Status", apiVersion: "v1", status: "Failure", message: "not found", reason: "NotFound", code: 404 } };
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.unref();
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, caFile: tls.certFile, calls };
}

const action = (id: string, over: Record<string, unknown>) => ({ id, action: "DELETE_POD", namespace: "shop", kind: "Deployment", name: "web", pod: null, policy: "no-privileged", reason: "test", ...over });

async function setup(mode: "report" | "execute", answers: Record<string, { status: number; body?: unknown }> = {}) {
  const key = signingKey();
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  const kube = await fakeKube(dir.dir, answers);
  const tokenFile = path.join(dir.dir, "sa-token");
  writeFileSync(tokenFile, "kube-sa-token\n");
  const central = await new FakeCentral().start();
  cleanups.push(() => central.stop());
  const config = testConfig(key, path.join(dir.dir, "state"), {
    bulwarkUrl: central.url,
    response: { mode, pollSeconds: 1, kube: mode === "execute" ? { apiUrl: kube.url, tokenFile, caFile: kube.caFile, insecure: false } : null },
  });
  const enforcer = createEnforcer(config, { log: silentLog });
  return { central, kube, enforcer, dir };
}

describe("response actions", () => {
  it("executes claimed actions against the Kubernetes API and reports each result", async () => {
    const forbidden = { kind: "Status", status: "Failure", message: 'statefulsets.apps "db" is forbidden: cannot patch resource "statefulsets/scale"', reason: "Forbidden", code: 403 };
    const { central, kube, enforcer } = await setup("execute", {
      "DELETE /api/v1/namespaces/shop/pods/web-7d9c6b5f8-q8w2z": { status: 200, body: { kind: "Pod" } },
      "PATCH /apis/apps/v1/namespaces/shop/deployments/web/scale": { status: 200, body: { kind: "Scale", spec: { replicas: 0 } } },
      "PATCH /apis/apps/v1/namespaces/data/statefulsets/db/scale": { status: 403, body: forbidden },
    });
    central.offer(
      action("a1", { pod: "web-7d9c6b5f8-q8w2z" }),
      action("a2", { action: "SCALE_TO_ZERO" }),
      action("a3", { pod: "gone-pod" }),
      action("a4", { action: "SCALE_TO_ZERO", namespace: "data", kind: "StatefulSet", name: "db" }),
      action("a5", { action: "SCALE_TO_ZERO", kind: "DaemonSet", name: "agent" }),
    );
    await enforcer.start();
    cleanups.push(() => enforcer.stop({ delayMs: 0, flushDeadlineMs: 200 }));
    await eventually(() => expect(central.actionResults).toHaveLength(5));

    expect(kube.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "DELETE /api/v1/namespaces/shop/pods/web-7d9c6b5f8-q8w2z",
      "PATCH /apis/apps/v1/namespaces/shop/deployments/web/scale",
      "DELETE /api/v1/namespaces/shop/pods/gone-pod",
      "PATCH /apis/apps/v1/namespaces/data/statefulsets/db/scale",
    ]);
    for (const c of kube.calls) expect(c.authorization).toBe("Bearer kube-sa-token");
    const patch = kube.calls[1]!;
    expect(patch.contentType).toBe("application/merge-patch+json");
    expect(JSON.parse(patch.body)).toEqual({ spec: { replicas: 0 } });
    expect(kube.calls[0]!.body).toBe("");

    expect(central.actionResults).toEqual([
      { id: "a1", enforcementPoint: "prod-eu-1-enforcer", status: "SUCCEEDED", message: "deleted pod shop/web-7d9c6b5f8-q8w2z" },
      { id: "a2", enforcementPoint: "prod-eu-1-enforcer", status: "SUCCEEDED", message: "scaled deployments shop/web to 0 replicas" },
      { id: "a3", enforcementPoint: "prod-eu-1-enforcer", status: "SKIPPED", message: "target no longer exists (not found)" },
      { id: "a4", enforcementPoint: "prod-eu-1-enforcer", status: "FAILED", message: `HTTP 403: ${forbidden.message}` },
      { id: "a5", enforcementPoint: "prod-eu-1-enforcer", status: "FAILED", message: "not carried out: cannot scale a DaemonSet" },
    ]);
    // Claimed by name with central's token, after the heartbeat that creates the point.
    const claim = central.claims[0]!;
    expect(claim.search).toBe("?point=prod-eu-1-enforcer&limit=10&wait=1");
    expect(claim.headers.authorization).toBe(`Bearer ${central.token}`);
    expect(central.requests.findIndex((r) => r.path.endsWith("/heartbeat"))).toBeLessThan(central.requests.indexOf(claim));
    expect(enforcer.metrics.value("bulwark_enforcer_response_actions_total", { action: "DELETE_POD", status: "SUCCEEDED" })).toBe(1);
  });

  it("picks up an action offered during a long-poll, and retries a result central failed to take", async () => {
    const { central, kube, enforcer } = await setup("execute", { "DELETE /api/v1/namespaces/shop/pods/web-1": { status: 200 } });
    central.resultStatuses = [503];
    await enforcer.start();
    cleanups.push(() => enforcer.stop({ delayMs: 0, flushDeadlineMs: 200 }));
    await eventually(() => expect(central.claims.length).toBeGreaterThan(0));
    central.offer(action("b1", { pod: "web-1" }));
    await eventually(() => expect(central.actionResults.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]), 8000);
    expect(kube.calls).toHaveLength(1);
  });

  it("in report mode claims and reports actions skipped, never calling the Kubernetes API", async () => {
    const { central, kube, enforcer } = await setup("report");
    central.offer(action("c1", { pod: "web-1" }), action("c2", { action: "SCALE_TO_ZERO" }));
    await enforcer.start();
    cleanups.push(() => enforcer.stop({ delayMs: 0, flushDeadlineMs: 200 }));
    await eventually(() => expect(central.actionResults).toHaveLength(2));
    expect(central.actionResults).toEqual([
      { id: "c1", enforcementPoint: "prod-eu-1-enforcer", status: "SKIPPED", message: "not configured to act (BULWARK_RESPONSE_ACTIONS=report); would have: DELETE /api/v1/namespaces/shop/pods/web-1" },
      { id: "c2", enforcementPoint: "prod-eu-1-enforcer", status: "SKIPPED", message: "not configured to act (BULWARK_RESPONSE_ACTIONS=report); would have: PATCH /apis/apps/v1/namespaces/shop/deployments/web/scale" },
    ]);
    expect(kube.calls).toEqual([]);
  });

  it("when off, never asks central for actions", async () => {
    const key = signingKey();
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const central = await new FakeCentral().start();
    cleanups.push(() => central.stop());
    central.offer(action("d1", { pod: "web-1" }));
    const enforcer = createEnforcer(testConfig(key, dir.dir, { bulwarkUrl: central.url }), { log: silentLog });
    await enforcer.start();
    await eventually(() => expect(central.heartbeats).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 300));
    await enforcer.stop({ delayMs: 0, flushDeadlineMs: 200 });
    expect(central.claims).toEqual([]);
    expect(enforcer.actions).toBeNull();
  });
});

describe("response configuration", () => {
  const base = { BULWARK_URL: "https://bulwark.example.com", BULWARK_TOKEN: "bwk_x", CLUSTER_NAME: "prod", INSECURE_HTTP: "true" };
  const pem = signingKey().publicKey.export({ format: "pem", type: "spki" }).toString();
  const files: Record<string, string> = { "/var/run/secrets/kubernetes.io/serviceaccount/token": "sa\n", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt": "CA", "/etc/kube/token": "t", "/etc/kube/ca.pem": "CA" };
  const read = (p: string) => {
    if (!(p in files)) throw Object.assign(new Error("missing"), { code: "ENOENT" });
    return files[p]!;
  };
  const parse = (env: Record<string, string>) => parseEnforcerEnv({ ...base, BULWARK_PUBLIC_KEY: pem, ...env }, read);
  const problems = (env: Record<string, string>) => {
    try {
      parse(env);
    } catch (err) {
      if (err instanceof EnvError) return err.problems;
      throw err;
    }
    return [];
  };

  it("reports by default, and off or execute on request (any case)", () => {
    expect(parse({}).response).toEqual({ mode: "report", pollSeconds: 10, kube: null });
    expect(parse({ BULWARK_RESPONSE_ACTIONS: "OFF", BULWARK_RESPONSE_POLL_SECONDS: "30" }).response).toEqual({ mode: "off", pollSeconds: 30, kube: null });
    expect(problems({ BULWARK_RESPONSE_ACTIONS: "kill", BULWARK_RESPONSE_POLL_SECONDS: "0" }).map((p) => p.variable).sort()).toEqual(["BULWARK_RESPONSE_ACTIONS", "BULWARK_RESPONSE_POLL_SECONDS"]);
  });

  it("uses the pod's service account in a cluster, and explicit settings elsewhere", () => {
    expect(parse({ BULWARK_RESPONSE_ACTIONS: "execute", KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" }).response.kube).toEqual({
      apiUrl: "https://10.96.0.1:443",
      tokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token",
      caFile: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
      insecure: false,
    });
    expect(parse({ BULWARK_RESPONSE_ACTIONS: "execute", KUBERNETES_SERVICE_HOST: "fd00::1" }).response.kube?.apiUrl).toBe("https://[fd00::1]:443");
    expect(parse({ BULWARK_RESPONSE_ACTIONS: "execute", BULWARK_KUBE_API_URL: "https://kube.example:6443/", BULWARK_KUBE_TOKEN_FILE: "/etc/kube/token", BULWARK_KUBE_CA_FILE: "/etc/kube/ca.pem" }).response.kube).toEqual({
      apiUrl: "https://kube.example:6443",
      tokenFile: "/etc/kube/token",
      caFile: "/etc/kube/ca.pem",
      insecure: false,
    });
  });

  it("refuses execute without an API server, plain http without the insecure flag, and unreadable files", () => {
    expect(problems({ BULWARK_RESPONSE_ACTIONS: "execute" })).toEqual([{ variable: "BULWARK_KUBE_API_URL", message: expect.stringContaining("is required with BULWARK_RESPONSE_ACTIONS=execute") }]);
    expect(problems({ BULWARK_RESPONSE_ACTIONS: "execute", BULWARK_KUBE_API_URL: "http://127.0.0.1:8080", BULWARK_KUBE_TOKEN_FILE: "/etc/kube/token" })[0]?.message).toContain("must be https");
    expect(parse({ BULWARK_RESPONSE_ACTIONS: "execute", BULWARK_KUBE_API_URL: "http://127.0.0.1:8080", BULWARK_KUBE_TOKEN_FILE: "/etc/kube/token", BULWARK_KUBE_INSECURE: "true" }).response.kube).toMatchObject({ insecure: true, caFile: null });
    expect(problems({ BULWARK_RESPONSE_ACTIONS: "execute", BULWARK_KUBE_API_URL: "https://kube.example", BULWARK_KUBE_TOKEN_FILE: "/nope" })).toEqual([{ variable: "BULWARK_KUBE_TOKEN_FILE", message: "cannot be read (ENOENT: /nope)" }]);
    // Off and report never touch the Kubernetes settings.
    expect(parse({ BULWARK_RESPONSE_ACTIONS: "report", BULWARK_KUBE_API_URL: "http://x" }).response.kube).toBeNull();
  });
});
