import { createServer, type IncomingMessage, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.ts";

// `bulwark connect` against a real HTTP server on loopback that records what arrives and answers as
// the scripted responses say (the Bulwark API itself is covered by the web tests).

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
let script: ((req: Seen) => Answer)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const s: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(s);
      const next = script.shift() ?? ((): Answer => ({ status: 500, body: { detail: "unscripted" } }));
      const answer = next(s);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen = [];
  script = [];
});

const TOKEN = "bwk_" + "x".repeat(43);
const env = () => ({ BULWARK_URL: base, BULWARK_TOKEN: TOKEN, DATABASE_URL: undefined });
const accepted = (id: string) => () => ({ status: 202, body: { id, status: "PENDING", statusUrl: `/api/v1/reports/${id}` } });

function fixture(json: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "bulwark-connect-"));
  const file = join(dir, "report.json");
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe("bulwark connect", () => {
  it("pipes a kubectl List to PUT /clusters/{name}/inventory, gzipped, with the token and an idempotency key", async () => {
    script = [accepted("r1")];
    const list = { apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } }] };
    const res = await runCli(["connect", "inventory", "--cluster", "prod-eu-1", "-"], { input: JSON.stringify(list), env: env() });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("accepted report r1 (PENDING) /api/v1/reports/r1");
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req!.method).toBe("PUT");
    expect(req!.url).toBe("/api/v1/clusters/prod-eu-1/inventory");
    expect(req!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req!.headers["content-encoding"]).toBe("gzip");
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(req!.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(gunzipSync(req!.body).toString("utf8"))).toEqual(list);
  });

  it("retries a 503 and a 429 with the same idempotency key, then succeeds", async () => {
    script = [
      () => ({ status: 503, body: { detail: "starting" } }),
      () => ({ status: 429, body: { detail: "slow down" }, headers: { "retry-after": "1" } }),
      accepted("r2"),
    ];
    const res = await runCli(["connect", "trivy", fixture({ SchemaVersion: 2, ArtifactName: "nginx" })], { env: env() });
    expect(res.code).toBe(0);
    expect(seen.map((s) => s.url)).toEqual(["/api/v1/reports/trivy", "/api/v1/reports/trivy", "/api/v1/reports/trivy"]);
    const keys = new Set(seen.map((s) => s.headers["idempotency-key"]));
    expect(keys.size).toBe(1);
  }, 30_000);

  it("reports the server's field errors and exits 2 on a 400", async () => {
    script = [() => ({ status: 400, body: { title: "Validation failed", detail: "The report is invalid", errors: [{ path: "SchemaVersion", message: "Expected 2" }] } })];
    const res = await runCli(["connect", "trivy", fixture({ SchemaVersion: 1 })], { env: env() });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("400");
    expect(res.stderr).toContain("SchemaVersion: Expected 2");
    expect(seen).toHaveLength(1);
  });

  it("waits for processing with --wait and prints the counts", async () => {
    script = [
      accepted("r3"),
      () => ({ status: 200, body: { id: "r3", kind: "FALCO", status: "PROCESSING", counts: {}, error: null } }),
      () => ({ status: 200, body: { id: "r3", kind: "FALCO", status: "PROCESSED", counts: { events: 2, findings: 1 }, error: null } }),
    ];
    const res = await runCli(["connect", "falco", "--wait", "--json", fixture([{ rule: "r" }])], { env: env() });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ id: "r3", status: "PROCESSED", counts: { events: 2, findings: 1 } });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /api/v1/events/falco", "GET /api/v1/reports/r3", "GET /api/v1/reports/r3"]);
  }, 30_000);

  it("sends SBOMs with the digest and registry lists to their endpoints", async () => {
    const digest = "sha256:" + "a".repeat(64);
    script = [accepted("r4"), accepted("r5")];
    expect((await runCli(["connect", "sbom", "--digest", digest, fixture({ bomFormat: "CycloneDX" })], { env: env() })).code).toBe(0);
    expect((await runCli(["connect", "registry", "--registry", "ghcr", fixture({ images: [] })], { env: env() })).code).toBe(0);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`POST /api/v1/sbom?digest=${encodeURIComponent(digest)}`, "POST /api/v1/registries/ghcr/images"]);
  });

  it("refuses bad input before any upload", async () => {
    const noToken = await runCli(["connect", "trivy", fixture({})], { env: { ...env(), BULWARK_TOKEN: undefined } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("BULWARK_TOKEN");
    const dir = mkdtempSync(join(tmpdir(), "bulwark-connect-"));
    writeFileSync(join(dir, "bad.json"), "{ not json");
    const badJson = await runCli(["connect", "trivy", join(dir, "bad.json")], { env: env() });
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain("not valid JSON");
    const badDigest = await runCli(["connect", "sbom", "--digest", "latest", fixture({})], { env: env() });
    expect(badDigest.code).toBe(2);
    const unreachable = await runCli(["connect", "falco", fixture([])], { env: { ...env(), BULWARK_URL: "http://127.0.0.1:9" } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("cannot reach");
    expect(seen).toHaveLength(0);
  }, 90_000);
});
