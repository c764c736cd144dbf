import { describe, expect, it } from "vitest";
import type { AdmissionRequestInfo, EvaluationSettings, JsonObject } from "../types.ts";
import { unauthorizedDeployer } from "./deployer.ts";
import { SETTINGS, deployment, pod, run } from "./testing.ts";

const DEPLOYERS: EvaluationSettings["allowedDeployers"] = [
  { namespace: "prod", subjects: ["alice", "system:serviceaccount:ci:deployer", "group:sre"] },
  { namespace: "*", subjects: ["group:platform-admins", "system:serviceaccount:argocd:argocd-application-controller"] },
];

function request(username: string, groups: string[] = [], over: Partial<AdmissionRequestInfo> = {}): AdmissionRequestInfo {
  return { operation: "CREATE", userInfo: { username, groups }, namespace: "prod", ...over };
}

const configured = (req: AdmissionRequestInfo, allowedDeployers = DEPLOYERS) => ({ request: req, settings: { ...SETTINGS, allowedDeployers } });
const web = deployment({ containers: [{ name: "a", image: "x:1" }] });

describe("unauthorized-deployer", () => {
  it("passes without an admission request (inventory, CI)", () => {
    expect(run(unauthorizedDeployer, web, { settings: { ...SETTINGS, allowedDeployers: DEPLOYERS } })).toEqual([]);
  });

  it("passes when no deployers are configured", () => {
    expect(run(unauthorizedDeployer, web, configured(request("mallory"), []))).toEqual([]);
  });

  it.each([
    ["a listed user", request("alice")],
    ["a listed service account", request("system:serviceaccount:ci:deployer", ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"])],
    ["a member of a listed group", request("bob", ["system:authenticated", "sre"])],
    ["a subject allowed in every namespace", request("carol", ["platform-admins"], { namespace: "staging" })],
    ["a service account allowed in every namespace", request("system:serviceaccount:argocd:argocd-application-controller", [], { namespace: "payments" })],
  ])("allows %s", (_what, req) => {
    expect(run(unauthorizedDeployer, web, configured(req))).toEqual([]);
  });

  it.each([
    ["an unlisted user", request("mallory", ["system:authenticated"])],
    ["a listed user in another namespace", request("alice", [], { namespace: "staging" })],
    ["a user named like a group subject", request("group:sre")],
    ["a group named like a user subject", request("eve", ["alice"])],
    ["a service account of another namespace", request("system:serviceaccount:dev:deployer")],
    ["a group name that only shares a suffix", request("dave", ["not-sre"])],
    ["an anonymous request", request("", ["system:unauthenticated"])],
  ])("denies %s", (_what, req) => {
    const v = run(unauthorizedDeployer, web, configured(req));
    expect(v).toHaveLength(1);
    expect(v[0]?.path).toBeUndefined();
    expect(v[0]?.container).toBeUndefined();
  });

  it("explains who was refused where", () => {
    const [v] = run(unauthorizedDeployer, web, configured(request("mallory", ["system:authenticated"], { operation: "UPDATE" })));
    expect(v?.message).toBe('"mallory" is not an allowed deployer for namespace "prod"');
    expect(v?.evidence).toBe("user: mallory, groups: system:authenticated, namespace: prod, operation: UPDATE");
  });

  it("uses the resource's namespace when the request has none", () => {
    const req: AdmissionRequestInfo = { operation: "CREATE", userInfo: { username: "alice", groups: [] } };
    expect(run(unauthorizedDeployer, web, configured(req))).toEqual([]);
    const elsewhere = { ...web, metadata: { name: "web", namespace: "dev" } };
    expect(run(unauthorizedDeployer, elsewhere, configured(req))).toHaveLength(1);
  });

  it("judges only CREATE and UPDATE", () => {
    expect(run(unauthorizedDeployer, web, configured(request("mallory", [], { operation: "DELETE" })))).toEqual([]);
    expect(run(unauthorizedDeployer, web, configured(request("mallory", [], { operation: "CONNECT" })))).toEqual([]);
  });

  it("attributes controller-created pods to their controller", () => {
    const owned: JsonObject = { ...pod({ containers: [{ name: "a", image: "x:1" }] }), metadata: { name: "web-abc", namespace: "prod", ownerReferences: [{ kind: "ReplicaSet", name: "web-5d9", controller: true }] } };
    const rsController = request("system:serviceaccount:kube-system:replicaset-controller", ["system:serviceaccounts", "system:serviceaccounts:kube-system"]);
    expect(run(unauthorizedDeployer, owned, configured(rsController))).toEqual([]);
    // The same identity creating a bare pod, or someone else creating an owned one, is judged.
    expect(run(unauthorizedDeployer, pod({ containers: [{ name: "a", image: "x:1" }] }), configured(rsController))).toHaveLength(1);
    expect(run(unauthorizedDeployer, owned, configured(request("mallory")))).toHaveLength(1);
  });

  it("does not judge non-pod resources", () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "prod" }, spec: {} };
    expect(run(unauthorizedDeployer, svc, configured(request("mallory")))).toEqual([]);
  });
});
