import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as Sarif from "sarif";
import { afterEach, describe, expect, it } from "vitest";
import { type DocumentReport, POLICY_DOCS_URL } from "../src/commands/policy-eval.ts";
import { runInProcess } from "./run-cli.ts";

// `bulwark policy eval` in-process through the real program (buildProgram, stdin injected), with
// manifests and policy files written to a temporary directory.

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], stdin = ""): Promise<Run> {
  const r = await runInProcess(["policy", "eval", ...args], stdin);
  return r;
}

afterEach(() => {
  process.exitCode = undefined;
});

const dir = mkdtempSync(join(tmpdir(), "bulwark-policy-eval-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: docker.io/library/nginx:1.27
          securityContext:
            privileged: true
`;
const HARDENED = `apiVersion: v1
kind: Pod
metadata: {name: safe, namespace: prod}
spec:
  automountServiceAccountToken: false
  securityContext: {runAsNonRoot: true, runAsUser: 1000}
  containers:
    - name: app
      image: ghcr.io/acme/api@sha256:${"a".repeat(64)}
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
      resources: {limits: {cpu: 500m, memory: 256Mi}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: b}
`;

const parse = (r: Run) => JSON.parse(r.stdout) as DocumentReport[];

describe("bulwark policy eval", () => {
  it("prints one JSON entry per document with its violations; WARN/AUDIT failures exit 0", async () => {
    const r = await run([file("deploy.yaml", DEPLOYMENT)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [entry] = parse(r);
    expect(entry).toMatchObject({ source: join(dir, "deploy.yaml"), kind: "Deployment", namespace: "prod", name: "web" });
    expect(Object.keys(entry!)).toEqual(["source", "kind", "namespace", "name", "violations"]);
    expect(entry!.violations).toContainEqual({
      policy: "no-privileged",
      severity: "CRITICAL",
      message: 'Container "app" runs privileged',
      container: "app",
      path: "spec.template.spec.containers[0].securityContext.privileged",
    });
    // No trusted registries given: that policy is off. No image facts offline: image-fact policies pass.
    const policies = new Set(entry!.violations.map((v) => v.policy));
    for (const id of ["trusted-registries", "no-malware", "require-signed-images", "no-fixable-critical-vulns"]) expect(policies.has(id)).toBe(false);
  });

  it("passes compliant documents and lists pod-less ones without violations", async () => {
    const r = await run([file("ok.yaml", HARDENED), "--trusted-registry", "ghcr.io"]);
    expect(r.code).toBe(0);
    expect(parse(r)).toEqual([
      { source: join(dir, "ok.yaml"), kind: "Pod", namespace: "prod", name: "safe", violations: [] },
      { source: join(dir, "ok.yaml"), kind: "ConfigMap", namespace: null, name: "settings", violations: [] },
    ]);
  });

  it("exits 1 when an ENFORCE policy fails (built-in promoted by the policy file)", async () => {
    const policies = file("enforce.yaml", "- id: no-privileged\n  enforcement: ENFORCE\n");
    const r = await run(["--policies", policies, file("d1.yaml", DEPLOYMENT)]);
    expect(r.code).toBe(1);
    expect(parse(r)[0]?.violations.some((v) => v.policy === "no-privileged")).toBe(true);
  });

  it("runs custom criteria and CEL policies and can disable built-ins", async () => {
    const policies = file(
      "custom.yaml",
      `policies:
  - id: no-privileged
    disabled: true
  - id: prod-needs-team-label
    name: Production workloads carry a team label
    severity: MEDIUM
    enforcement: ENFORCE
    rule:
      type: criteria
      sections:
        - conditions:
            - {field: resource.namespace, operator: equals, values: [prod]}
            - {field: pod.labels, operator: notContains, values: [team]}
  - id: docker-hub
    name: No Docker Hub images
    severity: LOW
    rule: {type: cel, expression: "container.image.startsWith('docker.io/')", message: pulls from Docker Hub}
`,
    );
    const r = await run(["--policies", policies, file("d2.yaml", DEPLOYMENT)]);
    expect(r.code).toBe(1);
    const violations = parse(r)[0]!.violations;
    expect(violations.some((v) => v.policy === "no-privileged")).toBe(false);
    expect(violations).toContainEqual({ policy: "prod-needs-team-label", severity: "MEDIUM", message: "Production workloads carry a team label: resource.namespace equals prod and pod.labels notContains team", path: "metadata.namespace" });
    expect(violations).toContainEqual({ policy: "docker-hub", severity: "LOW", message: "pulls from Docker Hub", container: "app", path: "spec.template.spec.containers[0]" });
  });

  it("flags images outside --trusted-registry (repeatable)", async () => {
    const one = await run(["--trusted-registry", "ghcr.io", file("d3.yaml", DEPLOYMENT)]);
    expect(parse(one)[0]?.violations.map((v) => v.policy)).toContain("trusted-registries");
    const both = await run(["--trusted-registry", "ghcr.io", "--trusted-registry", "docker.io", file("d4.yaml", DEPLOYMENT)]);
    expect(parse(both)[0]?.violations.map((v) => v.policy)).not.toContain("trusted-registries");
  });

  it("prints every error of an invalid policy file with file position, and exits 2", async () => {
    const policies = file("bad.yaml", "- id: ok-one\n  name: fine\n  severity: LOW\n  rule: {type: cel, expression: 'true'}\n- id: Bad\n  severity: NOPE\n  rule:\n    type: cel\n    expression: \"containers.exists(c,\"\n");
    const r = await run(["--policies", policies, file("d5.yaml", DEPLOYMENT)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`error: invalid policy file ${policies}:`);
    expect(r.stderr).toContain(`${policies}:5:7: [1].id: must be lower-kebab-case`);
    expect(r.stderr).toContain(`${policies}:6:13: [1].severity: Invalid option`);
  });

  it("reports CEL syntax errors inside the expression", async () => {
    const policies = file("cel.yaml", "- id: broken\n  name: Broken\n  severity: LOW\n  rule:\n    type: cel\n    expression: \"containers.exists(c,\"\n");
    const r = await run(["--policies", policies, file("d6.yaml", DEPLOYMENT)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${policies.replaceAll(".", "\\.")}:6:17: \\[0\\]\\.rule\\.expression: .+ \\(expression line 1, column 21\\)`));
  });

  it("reads stdin with -, and lists unreadable documents (exit 1)", async () => {
    const r = await run(["-"], `${DEPLOYMENT}---\nkind: [broken\n`);
    expect(r.code).toBe(1);
    const reports = parse(r);
    expect(reports[0]).toMatchObject({ source: "stdin", kind: "Deployment" });
    expect(reports[1]).toMatchObject({ source: "stdin", kind: null, name: null, violations: [], error: { line: expect.any(Number) } });
  });

  it("prints a readable table", async () => {
    const r = await run(["--format", "table", file("d7.yaml", DEPLOYMENT), file("ok2.yaml", HARDENED)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${join(dir, "d7.yaml")}: Deployment prod/web`);
    expect(r.stdout).toContain('  WARN    CRITICAL no-privileged: Container "app" runs privileged');
    expect(r.stdout).toContain("                   at spec.template.spec.containers[0].securityContext.privileged");
    expect(r.stdout).toContain(`${join(dir, "ok2.yaml")}: Pod prod/safe  ✓ no violations`);
    expect(r.stdout).toMatch(/3 document\(s\), \d+ violation\(s\), 0 from ENFORCE policies\n$/);
  });

  it("writes SARIF 2.1.0 with rules, levels, file regions and logical locations", async () => {
    const source = file("d8.yaml", DEPLOYMENT);
    const r = await run(["--format", "sarif", source]);
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout) as Sarif.Log;
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    const runOut = log.runs[0]!;
    const rules = runOut.tool.driver.rules!;
    expect(runOut.tool.driver.name).toBe("Bulwark");
    const rule = rules.find((x) => x.id === "no-privileged")!;
    expect(rule.helpUri).toBe(`${POLICY_DOCS_URL}#no-privileged`);
    expect(rule.fullDescription?.text).toMatch(/must not run privileged/);
    expect(rule.properties?.["security-severity"]).toBe("9.5");
    const result = runOut.results!.find((x) => x.ruleId === "no-privileged")!;
    expect(result.level).toBe("error");
    expect(rules[result.ruleIndex!]?.id).toBe("no-privileged");
    expect(result.message.text).toBe('Container "app" runs privileged');
    expect(result.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(source);
    expect(result.locations?.[0]?.physicalLocation?.region?.startLine).toBe(15); // `privileged: true`
    expect(result.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe("Deployment/prod/web:spec.template.spec.containers[0].securityContext.privileged");
    // Every result names a rule that exists; levels are SARIF's.
    for (const res of runOut.results!) {
      expect(rules[res.ruleIndex!]?.id).toBe(res.ruleId);
      expect(["error", "warning", "note"]).toContain(res.level);
      expect(res.locations?.[0]?.physicalLocation?.region?.startLine ?? 1).toBeGreaterThanOrEqual(1);
    }
  });

  it("rejects bad flags with exit 2", async () => {
    expect((await run(["--format", "xml", file("d9.yaml", DEPLOYMENT)])).code).toBe(2);
    expect((await run(["--stage", "SHIP", file("d10.yaml", DEPLOYMENT)])).code).toBe(2);
    expect((await run(["--policies", join(dir, "missing.yaml"), file("d11.yaml", DEPLOYMENT)])).code).toBe(2);
    const missing = await run([join(dir, "nope.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
  });
});
