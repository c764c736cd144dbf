import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "@bulwark/db";
import { jobRegistry } from "../src/jobs/definitions.ts";
import { DEFAULT_RUNTIME_EVENT_RETENTION_DAYS, purgeRuntimeEvents, runtimeRetentionJob } from "../src/runtime/retention.ts";
import { testDb } from "./helpers.ts";
import { runtimeOrg, sendEvents, syscallEvent } from "./runtime-helpers.ts";

// Raw events older than the retention go, in chunks; the findings they were counted into keep their counts.

let db: Db;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.$disconnect();
});

describe("runtime event retention", () => {
  it("deletes events older than the retention in bounded chunks and leaves occurrences alone", async () => {
    const { org, ctx } = await runtimeOrg(db, []);
    const now = new Date("2030-01-31T00:00:00Z");
    const day = (n: number) => new Date(now.getTime() - n * 86_400_000);
    const old = Array.from({ length: 7 }, (_, i) => syscallEvent({ time: day(40 + i) }));
    await sendEvents(db, ctx, [...old, syscallEvent({ time: day(29) }), syscallEvent({ time: day(1) })]);
    const other = await runtimeOrg(db, []);
    await sendEvents(db, other.ctx, [syscallEvent({ time: day(100) })]);
    const finding = await db.finding.findFirstOrThrow({ where: { orgId: org.id } });
    expect(finding.occurrences).toBe(9);

    const result = await purgeRuntimeEvents(db, { retentionDays: 30, now, chunk: 3, orgIds: [org.id, other.org.id] });
    expect(result).toEqual({ orgs: 2, deleted: 8 });
    const left = await db.runtimeEvent.findMany({ where: { orgId: org.id }, orderBy: { time: "asc" } });
    expect(left.map((e) => e.time.toISOString())).toEqual([day(29).toISOString(), day(1).toISOString()]);
    expect(await db.runtimeEvent.count({ where: { orgId: other.org.id } })).toBe(0);
    expect((await db.finding.findUniqueOrThrow({ where: { id: finding.id } })).occurrences).toBe(9);
    // A re-run finds nothing more of this organization.
    expect(await purgeRuntimeEvents(db, { retentionDays: 30, now, chunk: 3, orgIds: [org.id] })).toEqual({ orgs: 0, deleted: 0 });
    expect(await db.runtimeEvent.count({ where: { orgId: org.id } })).toBe(2);
  });

  it("is a registered job defaulting to 30 days", () => {
    expect(jobRegistry.get("runtime.retention")).toBe(runtimeRetentionJob);
    expect(runtimeRetentionJob.schema.parse({})).toEqual({ retentionDays: DEFAULT_RUNTIME_EVENT_RETENTION_DAYS });
    expect(DEFAULT_RUNTIME_EVENT_RETENTION_DAYS).toBe(30);
    expect(runtimeRetentionJob.schema.safeParse({ retentionDays: 0 }).success).toBe(false);
  });
});
