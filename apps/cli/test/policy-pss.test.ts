import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runInProcess } from "./run-cli.ts";

// `bulwark policy pss` in-process through the real program (the `policy` parent is added here the
// way program.ts will), plus one child process to cover real stdin. Manifests are the upstream PSS
// conformance fixtures of packages/policy.

const FIXTURES = fileURLToPath(new URL("../../../packages/policy/test/fixtures/pss/", import.meta.url));
const fixture = (rel: string) => join(FIXTURES, rel);

interface Run {
  code: number;
  lines: Record<string, unknown>[];
  stdout: string;
  stderr: string;
}

async function run(args: string[], stdin = ""): Promise<Run> {
  const r = await runInProcess(["policy", "pss", ...args], stdin);
  const lines = r.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...r, lines };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("bulwark policy pss", () => {
  it("allows a compliant pod (exit 0) and reports it", async () => {
    const r = await run(["--level", "restricted", fixture("restricted/v1.37/pass/base_linux.yaml")]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      {
        source: fixture("restricted/v1.37/pass/base_linux.yaml"),
        index: 0,
        kind: "Pod",
        name: "base_linux",
        level: "restricted",
        version: "v1.37",
        applicable: true,
        allowed: true,
        failedChecks: [],
        reasons: [],
      },
    ]);
  });

  it("denies failing pods with check ids and reasons (exit 1), one line per file", async () => {
    const r = await run(["--level", "baseline", fixture("baseline/v1.37/fail/privileged0.yaml"), fixture("baseline/v1.37/pass/base.yaml"), fixture("baseline/v1.37/fail/hostnamespaces0.yaml")]);
    expect(r.code).toBe(1);
    expect(r.lines.map((l) => [l["name"], l["allowed"], l["failedChecks"]])).toEqual([
      ["privileged0", false, ["privileged"]],
      ["base", true, []],
      ["hostnamespaces0", false, ["hostNamespaces"]],
    ]);
    expect(r.lines[0]?.["reasons"]).toEqual([{ id: "privileged", reason: "privileged", detail: 'container "container1" must not set securityContext.privileged=true' }]);
  });

  it("honours --version (sysctls added in 1.37 fail at v1.36)", async () => {
    const file = fixture("baseline/v1.37/pass/sysctls1.yaml");
    expect((await run(["--level", "baseline", "--version", "v1.37", file])).code).toBe(0);
    const old = await run(["--level", "baseline", "--version", "v1.36", file]);
    expect(old.code).toBe(1);
    expect(old.lines[0]).toMatchObject({ version: "v1.36", allowed: false, failedChecks: ["sysctls"] });
  });

  it("reads stdin with -, lists non-pod documents and List items, and reports parse errors", async () => {
    const pod = readFileSync(fixture("restricted/v1.37/fail/runasnonroot0.yaml"), "utf8");
    const list = JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "prod" }, spec: { template: { spec: { containers: [{ name: "c", securityContext: { privileged: true } }] } } } }] });
    const stdin = `${pod}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n---\n- not an object\n`;
    const dir = mkdtempSync(join(tmpdir(), "bulwark-pss-"));
    writeFileSync(join(dir, "list.json"), list);
    const r = await run(["--level", "restricted", "-", join(dir, "list.json")], stdin);
    expect(r.code).toBe(1);
    expect(r.lines.map((l) => [l["source"], l["index"], l["itemIndex"], l["kind"], l["applicable"], l["allowed"], l["failedChecks"]])).toEqual([
      ["stdin", 0, undefined, "Pod", true, false, ["runAsNonRoot"]],
      ["stdin", 1, undefined, "Service", false, true, []],
      ["stdin", 2, undefined, undefined, undefined, false, undefined],
      [join(dir, "list.json"), 0, 0, "Deployment", true, false, ["privileged", "allowPrivilegeEscalation", "capabilities_restricted", "runAsNonRoot", "seccompProfile_restricted"]],
    ]);
    expect(r.lines[2]?.["error"]).toEqual({ message: "expected a Kubernetes object, got a list" });
    expect(r.lines[3]).toMatchObject({ name: "web", namespace: "prod" });
  });

  it("exits 0 when every document is allowed or not a pod", async () => {
    const r = await run(["--level", "baseline", "-"], "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
    expect(r).toMatchObject({ code: 0, lines: [{ kind: "ConfigMap", applicable: false, allowed: true, failedChecks: [] }] });
  });

  it("exits 2 on usage errors", async () => {
    const file = fixture("baseline/v1.37/pass/base.yaml");
    const badLevel = await run(["--level", "privileged", file]);
    expect(badLevel.code).toBe(2);
    expect(badLevel.stderr).toContain("expected baseline or restricted");
    const badVersion = await run(["--level", "baseline", "--version", "1.30", file]);
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toContain("expected latest or v1.N");
    expect((await run([file])).code).toBe(2);
    expect((await run(["--level", "baseline"])).code).toBe(2);
    const missing = await run(["--level", "baseline", "/nonexistent/x.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read /nonexistent/x.yaml: ENOENT");
    expect(missing.lines).toEqual([]);
    expect((await run(["--level", "baseline", "-", "-"])).code).toBe(2);
  });

  it("documents its output in --help", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--level <level>");
    expect(r.stdout).toContain("--version <version>");
    expect(r.stdout).toContain("applicable false");
  });
});

describe("bulwark policy pss (child process)", () => {
  it("reads real stdin", async () => {
    const cwd = fileURLToPath(new URL("..", import.meta.url));
    const input = readFileSync(fixture("baseline/v1.37/fail/hostports0.yaml"), "utf8");
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["bin/bulwark.js", "policy", "pss", "--level", "baseline", "-"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c, stdout, stderr }));
      child.stdin.end(input);
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ source: "stdin", name: "hostports0", allowed: false, failedChecks: ["hostPorts"] });
  }, 60_000);
});
