import { type AdmissionRecord } from "@bulwark/policy";
import { afterEach, describe, expect, it } from "vitest";
import { Backoff } from "../src/backoff.ts";
import { Central } from "../src/central.ts";
import { DecisionsReporter, MAX_BATCH } from "../src/decisions-reporter.ts";
import { Metrics } from "../src/metrics.ts";
import { eventually, FakeCentral, silentLog } from "./helpers.ts";

// Decision batches to central: size-bounded, re-sent after a failure (same uids: central stores each
// once), bounded while central is away (oldest dropped, counted), flushed on stop.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let n = 0;
const record = (over: Partial<AdmissionRecord> = {}): AdmissionRecord => ({
  uid: `uid-${++n}`,
  namespace: "payments",
  kind: "Pod",
  name: `p-${n}`,
  operation: "CREATE",
  allowed: false,
  warned: false,
  policies: ["no-privileged"],
  message: "denied by Bulwark: [no-privileged] privileged",
  userInfo: { username: "alice", groups: ["devs"] },
  decidedAt: new Date().toISOString(),
  dryRun: false,
  violations: [{ policy: "no-privileged", severity: "CRITICAL", message: 'Container "app" is privileged', container: "app", path: "spec.containers[0].securityContext.privileged", evidence: "privileged=true" }],
  ...over,
});

async function setup(opts: { maxQueue?: number; url?: string } = {}) {
  const central = await new FakeCentral().start();
  cleanups.push(() => central.stop());
  const metrics = new Metrics();
  const reporter = new DecisionsReporter({
    central: new Central({ baseUrl: opts.url ?? central.url, token: central.token }),
    enforcerName: "edge-1",
    cluster: "prod-eu-1",
    flushMs: 20,
    maxQueue: opts.maxQueue ?? 10_000,
    log: silentLog,
    metrics,
    backoff: new Backoff(20, 50),
  });
  cleanups.push(() => reporter.stop(200));
  return { central, reporter, metrics };
}

describe("DecisionsReporter", () => {
  it("sends at most 1,000 decisions a batch, gzip-compressed, in the API's shape, without evidence", async () => {
    const { central, reporter } = await setup();
    for (let i = 0; i < 2500; i++) reporter.enqueue(record());
    await reporter.flush();
    await eventually(() => expect(reporter.queued).toBe(0));
    expect(central.decisionBatches.map((b) => b.decisions.length)).toEqual([MAX_BATCH, MAX_BATCH, 500]);
    const first = central.decisionBatches[0]!;
    expect(first.enforcementPoint).toBe("edge-1");
    expect(first.decisions[0]).toEqual({
      uid: expect.stringMatching(/^uid-/),
      cluster: "prod-eu-1",
      namespace: "payments",
      kind: "Pod",
      name: expect.any(String),
      operation: "CREATE",
      allowed: false,
      warned: false,
      policies: ["no-privileged"],
      message: "denied by Bulwark: [no-privileged] privileged",
      userInfo: { username: "alice", groups: ["devs"] },
      decidedAt: expect.any(String),
      violations: [{ policy: "no-privileged", severity: "CRITICAL", message: 'Container "app" is privileged', container: "app", path: "spec.containers[0].securityContext.privileged" }],
    });
    const sent = central.requests.find((r) => r.path.endsWith("/decisions"))!;
    expect(sent.headers).toMatchObject({ authorization: "Bearer bwk_test_token", "content-type": "application/json", "content-encoding": "gzip" });
  });

  it("sends about one request per flush interval under steady load (central rate-limits tokens)", async () => {
    const { central, reporter } = await setup();
    reporter.start();
    const started = Date.now();
    for (let i = 0; i < 50; i++) {
      for (let k = 0; k < 10; k++) reporter.enqueue(record());
      await new Promise((r) => setTimeout(r, 10));
    }
    const ticks = (Date.now() - started) / 20;
    await reporter.flush();
    expect(central.decisionBatches.flatMap((b) => b.decisions)).toHaveLength(500);
    // A 20 ms interval: at most one request per tick (plus the final flush), not one per decision or per send.
    expect(central.decisionBatches.length).toBeLessThanOrEqual(Math.ceil(ticks) + 2);
  });

  it("keeps a batch central did not take and sends the same decisions again, then the rest", async () => {
    const { central, reporter, metrics } = await setup();
    central.decisionStatuses = [503, 500];
    const uids = Array.from({ length: 5 }, () => record()).map((r) => {
      reporter.enqueue(r);
      return r.uid;
    });
    reporter.start();
    await eventually(() => expect(metrics.value("bulwark_enforcer_decisions_reported_total")).toBe(5));
    expect(central.decisionBatches).toHaveLength(3);
    expect(reporter.queued).toBe(0);
    for (const b of central.decisionBatches) expect(b.decisions.map((d) => d.uid)).toEqual(uids);
    expect(metrics.value("bulwark_enforcer_decision_report_errors_total")).toBe(2);
  });

  it("drops a batch central refuses as invalid rather than blocking the ones after it", async () => {
    const { central, reporter, metrics } = await setup();
    central.decisionStatuses = [400];
    reporter.enqueue(record());
    await reporter.flush();
    reporter.enqueue(record());
    await reporter.flush();
    expect(central.decisionBatches).toHaveLength(2);
    expect(metrics.value("bulwark_enforcer_decisions_rejected_total")).toBe(1);
    expect(reporter.queued).toBe(0);
  });

  it("bounds the queue while central is unreachable, dropping the oldest and counting them", async () => {
    const { reporter, metrics } = await setup({ maxQueue: 1000, url: "http://127.0.0.1:1" });
    const records = Array.from({ length: 1500 }, () => record());
    for (const r of records) reporter.enqueue(r);
    await reporter.flush();
    expect(reporter.queued).toBe(1000);
    expect(metrics.value("bulwark_enforcer_decisions_dropped_total")).toBe(500);
    expect(metrics.text()).toContain("bulwark_enforcer_decisions_queued 1000");
  });

  it("skips dry runs and flushes what is queued on stop", async () => {
    const { central, reporter } = await setup();
    reporter.enqueue(record({ dryRun: true }));
    reporter.enqueue(record({ breakGlass: { reason: "INC-1", expiresAt: "2026-11-29T13:00:00.000Z", policies: ["no-privileged"] }, allowed: true, warned: true }));
    expect(reporter.queued).toBe(1);
    await reporter.stop(2000);
    expect(central.decisionBatches).toHaveLength(1);
    expect(central.decisionBatches[0]!.decisions[0]).toMatchObject({ allowed: true, breakGlass: { reason: "INC-1", policies: ["no-privileged"] } });
  });
});
