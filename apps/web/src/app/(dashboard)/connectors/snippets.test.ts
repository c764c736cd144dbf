import { describe, expect, it } from "vitest";
import { cronJobYaml, curlInventory, setupSnippets, shellQuote } from "./snippets.ts";

const token = "bwk_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

describe("setup snippets", () => {
  it("points curl at the cluster's inventory URL with the token and JSON content type", () => {
    const s = curlInventory({ baseUrl: "https://bulwark.example.com/", token, cluster: "prod-eu" });
    expect(s).toContain("kubectl get ns,pods,deploy,rs,sts,ds,jobs,cronjobs,svc,nodes -A -o json");
    expect(s).toContain(`'Authorization: Bearer ${token}'`);
    expect(s).toContain("-X PUT");
    expect(s).toContain("'https://bulwark.example.com/api/v1/clusters/prod-eu/inventory'");
  });

  it("uses a placeholder cluster name for unbound tokens and offers all four setups", () => {
    const all = setupSnippets({ baseUrl: "http://localhost:3000", token, cluster: null });
    expect(all.map((s) => s.id)).toEqual(["curl-inventory", "curl-trivy", "cronjob", "cli"]);
    expect(all[0]!.text).toContain("/api/v1/clusters/my-cluster/inventory");
    expect(all[1]!.text).toContain("http://localhost:3000/api/v1/reports/trivy");
    expect(all[3]!.text).toContain("bulwark connect inventory --cluster my-cluster -");
  });

  it("keeps the token in a Secret and grants only get/list in the CronJob manifest", () => {
    const yaml = cronJobYaml({ baseUrl: "https://b.example", token, cluster: "prod" });
    expect(yaml).toContain(`token: "${token}"`);
    expect(yaml).toContain("secretKeyRef: { name: bulwark-token, key: token }");
    expect(yaml).toContain("image: bitnami/kubectl:latest");
    expect(yaml).not.toMatch(/verbs: \[.*(create|update|delete|patch|watch).*\]/);
    expect(yaml.match(/verbs: \[get, list\]/g)).toHaveLength(3);
    expect(yaml).toContain('"https://b.example/api/v1/clusters/prod/inventory"');
  });

  it("quotes shell values so nothing in them is expanded", () => {
    expect(shellQuote("a'b $HOME")).toBe(`'a'"'"'b $HOME'`);
  });
});
