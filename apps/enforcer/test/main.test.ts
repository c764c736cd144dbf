import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ENFORCER_NODE_FLAGS } from "../src/node-flags.ts";
import { bundleContent, builtinDefinitions, eventually, FakeCentral, privilegedPod, review, signBundle, signingKey, tempDir } from "./helpers.ts";

// `node <V8 flags> --import tsx src/main.ts` as the container runs it: configuration from the
// environment (secrets from files), JSON logs, SIGTERM drains decisions to central and exits 0; a bad
// environment exits 1.

const MAIN = path.resolve(import.meta.dirname, "../src/main.ts");
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [...ENFORCER_NODE_FLAGS, "--import", "tsx", MAIN], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  return { child, exited, out: () => out, err: () => err };
}

describe("main.ts", () => {
  it("runs in the image with the enforcer's V8 flags", () => {
    const dockerfile = readFileSync(path.resolve(import.meta.dirname, "../../../deploy/enforcer/Dockerfile"), "utf8");
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(entrypoint ?? "null")).toEqual(["node", ...ENFORCER_NODE_FLAGS, "--import", "tsx", "apps/enforcer/src/main.ts"]);
  });

  it("starts from the environment, enforces, and drains decisions on SIGTERM", async () => {
    const key = signingKey();
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const central = await new FakeCentral().start();
    cleanups.push(() => central.stop());
    central.publish(signBundle(key, 1, bundleContent(builtinDefinitions({ "no-privileged": { enforcement: "ENFORCE" } }))));
    writeFileSync(path.join(dir.dir, "token"), `${central.token}\n`);
    writeFileSync(path.join(dir.dir, "key.pem"), key.publicKey.export({ format: "pem", type: "spki" }).toString());
    const p = run({
      BULWARK_URL: central.url,
      BULWARK_TOKEN_FILE: path.join(dir.dir, "token"),
      BULWARK_PUBLIC_KEY_FILE: path.join(dir.dir, "key.pem"),
      CLUSTER_NAME: "prod-eu-1",
      INSECURE_HTTP: "true",
      HOST: "127.0.0.1",
      PORT: "0",
      STATE_DIR: path.join(dir.dir, "state"),
      DECISION_FLUSH_MS: "60000",
      SHUTDOWN_DELAY_MS: "0",
    });
    let port = 0;
    await eventually(() => {
      const line = p.out().split("\n").find((l) => l.includes('"bulwark enforcer listening"'));
      expect(line, p.err()).toBeDefined();
      port = (JSON.parse(line!) as { port: number }).port;
    }, 20_000);
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200));
    const body = review(privilegedPod());
    const res = (await (await fetch(`http://127.0.0.1:${port}/validate`, { method: "POST", body: JSON.stringify(body) })).json()) as { response: { allowed: boolean } };
    expect(res.response.allowed).toBe(false);

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(central.decisionBatches.flatMap((b) => b.decisions).map((d) => d.uid)).toEqual([body.request.uid]);
    expect(p.out()).not.toContain(central.token);
  });

  it("exits 1 naming the wrong variables", async () => {
    const p = run({ BULWARK_URL: "nope", FAILURE_POLICY: "Sometimes" });
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain("bulwark enforcer: invalid environment");
    for (const v of ["BULWARK_URL", "FAILURE_POLICY", "CLUSTER_NAME", "BULWARK_TOKEN", "BULWARK_PUBLIC_KEY", "TLS_CERT_FILE"]) expect(p.err()).toContain(`  ${v}: `);
  });
});
