import { describe, expect, it } from "vitest";
import { ENFORCEMENT_MODES, POLICY_ID, SEVERITIES, STAGES, THREAT_IDS } from "../model/schema.ts";
import type { EvaluationInput, JsonObject } from "../types.ts";
import { BUILTIN_POLICIES, BUILTIN_POLICY_IDS, getBuiltinPolicy, isBuiltinPolicyId } from "./index.ts";
import { SETTINGS, deployment, facts, hardened, inputFor } from "./testing.ts";

const DIGEST = "sha256:0f0e3d8b3c1a4d2e5f60718293a4b5c6d7e8f9012345678901234567890abcde";
const IMG = `ghcr.io/acme/api:1.4.2@${DIGEST}`;
const TOKEN = ["gh", "p_", "R8k2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4"].join("");

describe("BUILTIN_POLICIES", () => {
  it("lists every id once, in the order of BUILTIN_POLICY_IDS", () => {
    expect(BUILTIN_POLICIES.map((p) => p.id)).toEqual([...BUILTIN_POLICY_IDS]);
    expect(new Set(BUILTIN_POLICY_IDS).size).toBe(BUILTIN_POLICY_IDS.length);
    expect(BUILTIN_POLICY_IDS).toHaveLength(21);
    expect(Object.isFrozen(BUILTIN_POLICIES)).toBe(true);
  });

  it("finds policies by id", () => {
    expect(getBuiltinPolicy("no-privileged")?.name).toBe("No privileged containers");
    expect(getBuiltinPolicy("nope")).toBeUndefined();
    expect(isBuiltinPolicyId("no-malware")).toBe(true);
    expect(isBuiltinPolicyId("constructor")).toBe(false);
  });

  it.each(BUILTIN_POLICIES.map((p) => [p.id, p] as const))("%s has complete, valid metadata", (_id, p) => {
    expect(p.id).toMatch(POLICY_ID);
    for (const text of [p.name, p.description, p.rationale, p.remediation, p.category]) expect(text.trim().length).toBeGreaterThan(3);
    expect(SEVERITIES).toContain(p.severity);
    expect(ENFORCEMENT_MODES).toContain(p.enforcement);
    expect(p.stages.length).toBeGreaterThan(0);
    for (const s of p.stages) expect(STAGES).toContain(s);
    expect(p.mitre.length).toBeGreaterThan(0);
    for (const m of p.mitre) expect(m).toMatch(/^T\d{4}(\.\d{3})?$/);
    expect(p.threats.length).toBeGreaterThan(0);
    for (const t of p.threats) expect(THREAT_IDS).toContain(t);
  });
});

/** A workload that follows every practice, with the facts and settings that let every policy judge it. */
function compliantInput(): EvaluationInput {
  const spec: JsonObject = {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{ ...hardened("api", IMG), ports: [{ containerPort: 8080 }], env: [{ name: "LOG_LEVEL", value: "info" }, { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "pw" } } }] }],
    initContainers: [hardened("migrate", IMG)],
    volumes: [{ name: "tmp", emptyDir: {} }],
  };
  return inputFor(deployment(spec), {
    images: { [IMG]: facts(IMG) },
    request: { operation: "CREATE", userInfo: { username: "system:serviceaccount:ci:deployer", groups: [] }, namespace: "prod" },
    settings: { ...SETTINGS, trustedRegistries: ["ghcr.io"], allowedDeployers: [{ namespace: "prod", subjects: ["system:serviceaccount:ci:deployer"] }] },
  });
}

/** A workload that breaks every policy at least once. */
function insecureInput(): EvaluationInput {
  const spec: JsonObject = {
    hostNetwork: true,
    hostPID: true,
    securityContext: { runAsUser: 0 },
    containers: [
      {
        name: "app",
        image: "evil.example.com/tools:latest",
        securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] } },
        ports: [{ containerPort: 22, hostPort: 22 }],
        env: [{ name: "GITHUB_TOKEN", value: TOKEN }],
      },
    ],
    volumes: [{ name: "sock", hostPath: { path: "/var/run/docker.sock" } }],
  };
  const image = "evil.example.com/tools:latest";
  return inputFor(deployment(spec), {
    images: {
      [image]: facts(image, {
        scannedAt: "2024-01-01T00:00:00Z",
        vulnerabilities: { critical: 4, high: 0, medium: 0, low: 0, fixableCritical: 4, fixableHigh: 0 },
        malware: { detected: true, signatures: ["Linux.Miner.XMRig"] },
        signature: { verified: false },
      }),
    },
    request: { operation: "CREATE", userInfo: { username: "mallory", groups: [] }, namespace: "prod" },
    settings: { ...SETTINGS, trustedRegistries: ["ghcr.io"], allowedDeployers: [{ namespace: "prod", subjects: ["alice"] }] },
  });
}

describe("all built-ins together", () => {
  it("pass a workload that follows every practice", () => {
    const input = compliantInput();
    const failed = BUILTIN_POLICIES.filter((p) => p.check(input).length > 0).map((p) => p.id);
    expect(failed).toEqual([]);
  });

  it("each fire on a workload that breaks everything, without leaking the secret", () => {
    const input = insecureInput();
    for (const p of BUILTIN_POLICIES) {
      const v = p.check(input);
      expect(v.length, p.id).toBeGreaterThan(0);
      for (const x of v) {
        expect(x.message.length).toBeGreaterThan(0);
        expect(`${x.message} ${x.evidence ?? ""}`).not.toContain(TOKEN);
        if (x.path !== undefined) expect(x.path).toMatch(/^spec\.template\.spec\./);
      }
    }
  });

  it.each([
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "prod" }, data: { GITHUB_TOKEN: TOKEN } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "prod" } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "prod" }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } },
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "no-template" }, spec: {} },
  ])("return nothing for a resource without a pod spec (%j)", (object) => {
    const input = inputFor(object, { request: { operation: "CREATE", userInfo: { username: "mallory", groups: [] }, namespace: "prod" }, settings: { ...SETTINGS, trustedRegistries: ["ghcr.io"], allowedDeployers: [{ namespace: "*", subjects: ["alice"] }] } });
    for (const p of BUILTIN_POLICIES) expect(p.check(input), p.id).toEqual([]);
  });

  it("never throw on fields of the wrong type", () => {
    const junk: unknown[] = [null, 0, 1, true, "x", [], {}, [null], [{}], { a: 1 }];
    for (const value of junk) {
      const spec: JsonObject = {
        hostNetwork: value,
        automountServiceAccountToken: value,
        securityContext: value,
        volumes: value,
        os: value,
        containers: [
          { name: value, image: value, securityContext: value, ports: value, env: value, resources: value },
          { name: "c", image: "x:1", securityContext: { capabilities: value, runAsNonRoot: value, windowsOptions: value }, resources: { limits: value }, ports: [value], env: [value, { name: "X", value }] },
        ],
        initContainers: value,
        ephemeralContainers: value,
      };
      const input = inputFor(deployment(spec), { images: { "x:1": facts("x:1") }, request: { operation: "CREATE", userInfo: { username: "u", groups: [] } }, settings: { ...SETTINGS, trustedRegistries: ["ghcr.io"], allowedDeployers: [{ namespace: "*", subjects: ["u"] }] } });
      for (const p of BUILTIN_POLICIES) expect(() => p.check(input), `${p.id} with ${JSON.stringify(value)}`).not.toThrow();
    }
  });
});
