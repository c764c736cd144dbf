import "../../../../../server/test-env.ts";
import { createApiToken } from "@bulwark/core";
import { afterAll, describe, expect, it, vi } from "vitest";

// The Falco events route on the real test database and Redis: accepted events, the field-naming 400
// for incomplete ones, and the per-token budget runtime events count against.

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<Record<string, unknown>>()), getServerSession: async () => null }));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));

const { db } = await import("../../../../../server/db.ts");
const { apiRequest: req, makeOrgWith } = await import("../../../../../server/route-testing.ts");
const { redis } = await import("../../../../../server/redis.ts");
const falco = await import("./route.ts");

const URL_ = "http://localhost:3000/api/v1/events/falco";

const event = {
  output: "Shell spawned in a container (user=root k8s.ns=shop k8s.pod=web-7d59548d75-wh44s)",
  priority: "Warning",
  rule: "Terminal shell in container",
  time: "2026-11-29T10:00:00.000000000Z",
  source: "syscall",
  tags: ["container", "shell", "mitre_execution", "T1059"],
  output_fields: { "k8s.ns.name": "shop", "k8s.pod.name": "web-7d59548d75-wh44s", "proc.name": "bash", "container.name": "web" },
};

async function budgetHits(name: string, tokenId: string): Promise<number> {
  const keys = await redis().keys(`bulwark:rl:${name}:${tokenId}:*`);
  const values = keys.length ? await redis().mget(...keys) : [];
  return values.reduce((n, v) => n + Number(v ?? 0), 0);
}

afterAll(async () => {
  await db().$disconnect();
  await redis().quit();
});

describe("POST /api/v1/events/falco", () => {
  it("accepts events against the token's event budget, not its report budget", async () => {
    const { org, ctx } = await makeOrgWith("ADMIN", "falco");
    const { token } = await createApiToken(db(), ctx, { name: "falcosidekick", scopes: ["ingest"] });
    const tokenId = (await db().apiToken.findFirstOrThrow({ where: { orgId: org.id, name: "falcosidekick" } })).id;
    for (let i = 0; i < 3; i++) {
      const res = await falco.POST(req(URL_, { method: "POST", token, body: { ...event, time: `2026-11-29T10:00:0${i}Z` } }), undefined);
      expect(res.status).toBe(202);
    }
    expect(await budgetHits("token-events", tokenId)).toBe(3);
    expect(await budgetHits("token", tokenId)).toBe(0);
    expect(await db().report.count({ where: { orgId: org.id, kind: "FALCO" } })).toBe(3);
  });

  it.each(["rule", "priority", "time", "output_fields"])("answers 400 naming %s when it is missing, and stores nothing", async (field) => {
    const { org, ctx } = await makeOrgWith("ADMIN", "falco");
    const { token } = await createApiToken(db(), ctx, { name: "falcosidekick", scopes: ["ingest"] });
    const body: Record<string, unknown> = { ...event };
    delete body[field];
    const res = await falco.POST(req(URL_, { method: "POST", token, body }), undefined);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as { errors?: Array<{ path: string }> };
    expect(problem.errors?.map((e) => e.path)).toContain(field);
    expect(await db().report.count({ where: { orgId: org.id } })).toBe(0);
  });
});
