import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { falcoEventSchema, hasCriticalFalcoEvent, parseFalcoEvents, isPlainFalcoEvent, workloadFromPodName } from "./falco.ts";
import { fingerprint } from "./fingerprint.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw fixture JSON
type Raw = any;

const dir = new URL("./__fixtures__/falco/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const load = (f: string): Raw => JSON.parse(readFileSync(new URL(f, dir), "utf8"));
const all = (): Raw[] => files.map(load);

function fields(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("VALIDATION_FAILED");
    return (err as AppError).fields ?? [];
  }
  throw new Error("expected a VALIDATION_FAILED error");
}

describe("the 12 real Falco events", () => {
  const events = parseFalcoEvents(all());

  it("parses every event with rule, priority, severity, source and time", () => {
    expect(files).toHaveLength(12);
    expect(events).toHaveLength(12);
    const raw = all();
    events.forEach((e, i) => {
      expect(e.rule).toBe(raw[i].rule);
      expect(e.priority).toBe(raw[i].priority);
      expect(e.output).toBe(raw[i].output);
      expect(e.time.getTime()).toBe(Date.parse(raw[i].time));
      expect(e.fields).toEqual(raw[i].output_fields);
      expect(e.aggregateKey).toMatch(/^[a-f0-9]{64}$/);
    });
    expect(events.map((e) => e.severity)).toEqual(["MEDIUM", "MEDIUM", "MEDIUM", "LOW", "INFO", "LOW", "LOW", "LOW", "LOW", "LOW", "LOW", "LOW"]);
    expect(events.map((e) => e.source)).toEqual([...new Array(6).fill("k8s_audit"), ...new Array(6).fill("syscall")]);
  });

  it("reads k8s_audit and syscall field layouts", () => {
    const byFile = Object.fromEntries(files.map((f, i) => [f.slice(0, 2), events[i]!]));
    expect(byFile["01"]).toMatchObject({ namespace: null, pod: null, workload: null, container: null, image: null, hostname: "my-pool-1-node-921b61", cluster: null });
    expect(byFile["04"]).toMatchObject({ namespace: "hello-app", pod: "nginx-676b6c5bbc-4xc6t", workload: "nginx", container: null });
    expect(byFile["05"]).toMatchObject({ namespace: "default", pod: null, workload: null });
    expect(byFile["06"]).toMatchObject({ namespace: "default", pod: "kubecon", workload: "kubecon" });
    expect(byFile["07"]).toMatchObject({ namespace: "default", pod: "alpine", container: { id: "5892b41bcf46", name: null }, image: null, hostname: null });
    expect(byFile["09"]).toMatchObject({ namespace: "openfaas-fn", pod: "falco-pod-delete-7dc9f5fbb8-gbfk7", workload: "falco-pod-delete", image: "devopps/falco-pod-delete:latest" });
    expect(byFile["10"]).toMatchObject({ namespace: "default", pod: "alpine", image: "mysql" });
    expect(byFile["12"]).toMatchObject({ pod: "alpine-deployment-77789455d6-m7flp", workload: "alpine-deployment", image: "alpine" });
  });

  it("maps MITRE techniques (tags first, stock rule table otherwise)", () => {
    const byRule = new Map(events.map((e) => [e.rule, e.mitreTechniques]));
    expect(Object.fromEntries(byRule)).toEqual({
      "Disallowed K8s User": ["T1078"],
      "Attach/Exec Pod": ["T1609"],
      "K8s Serviceaccount Created": ["T1136"],
      "Terminal shell in container": ["T1059"],
      "Contact K8S API Server From Container": ["T1613"],
    });
    for (const e of events) expect(e.mitreTactics).toEqual([]);
  });

  it("aggregates by rule, cluster, namespace, workload and image", () => {
    const groups = new Map<string, string[]>();
    events.forEach((e, i) => groups.set(e.aggregateKey, [...(groups.get(e.aggregateKey) ?? []), files[i]!.slice(0, 2)]));
    // The three "Disallowed K8s User" audit events name no namespace or pod: one aggregate. Every
    // other event differs in namespace, pod or image.
    expect([...groups.values()].sort()).toEqual([["01", "02", "03"], ["04"], ["05"], ["06"], ["07"], ["08"], ["09"], ["10"], ["11"], ["12"]]);
    expect(events[0]!.aggregateKey).toBe(fingerprint("RUNTIME", "Disallowed K8s User", null, null, null, null));
    expect(events[11]!.aggregateKey).toBe(fingerprint("RUNTIME", "Terminal shell in container", null, "default", "alpine-deployment", "alpine"));
  });

  it("puts pods of one Deployment and bursts of identical events in the same aggregate", () => {
    const a = load("12-terminal-shell-in-container.json");
    const b = structuredClone(a);
    b.output_fields["k8s.pod.name"] = "alpine-deployment-77789455d6-x9zqv";
    b.output_fields["container.id"] = "aaaaaaaaaaaa";
    b.time = "2021-06-13T19:40:00.000000000Z";
    const burst = parseFalcoEvents([a, b, a, a]);
    expect(new Set(burst.map((e) => e.aggregateKey)).size).toBe(1);
    const c = structuredClone(a);
    c.output_fields["k8s.ns.name"] = "prod";
    expect(parseFalcoEvents(c)[0]!.aggregateKey).not.toBe(burst[0]!.aggregateKey);
  });
});

describe("layouts across Falco versions", () => {
  const base = { rule: "Launch Privileged Container", priority: "INFO", time: "2024-01-01T00:00:00Z" };

  it("reads tags, cluster custom fields, container names and the k8smeta plugin", () => {
    const [e] = parseFalcoEvents({
      ...base,
      uuid: "5f1a",
      source: "syscall",
      tags: ["container", "mitre_privilege_escalation", "T1611", "T1610"],
      output_fields: { "k8smeta.ns.name": "prod", "k8smeta.pod.name": "db-0", "container.name": "postgres", "container.id": "abc", "container.image": "postgres:16", "k8s.cluster.name": "eu-1" },
    });
    expect(e).toMatchObject({
      severity: "INFO", cluster: "eu-1", namespace: "prod", pod: "db-0", workload: "db", container: { id: "abc", name: "postgres" }, image: "postgres:16",
      mitreTechniques: ["T1610", "T1611"], mitreTactics: ["TA0004"], uuid: "5f1a", output: "Launch Privileged Container",
    });
  });

  it("treats <NA> as absent and infers the source of old events", () => {
    const [e] = parseFalcoEvents({ ...base, output_fields: { "k8s.ns.name": "<NA>", "k8s.pod.name": "", "container.image.repository": "<NA>", cluster: "c1" } });
    expect(e).toMatchObject({ source: "syscall", namespace: null, pod: null, image: null, cluster: "c1" });
    const [audit] = parseFalcoEvents({ ...base, output_fields: { "ka.target.resource": "deployments", "ka.target.name": "api", "ka.target.namespace": "shop" } });
    expect(audit).toMatchObject({ source: "k8s_audit", namespace: "shop", pod: null, workload: "deployments/api" });
  });

  it("guesses workloads from pod names conservatively", () => {
    expect(workloadFromPodName("nginx-676b6c5bbc-4xc6t")).toBe("nginx");
    expect(workloadFromPodName("fluentd-x2k9p")).toBe("fluentd");
    expect(workloadFromPodName("web-12")).toBe("web");
    expect(workloadFromPodName("alpine")).toBe("alpine");
    expect(workloadFromPodName("my-nginx")).toBe("my-nginx");
    expect(workloadFromPodName("kubecon")).toBe("kubecon");
  });
});

describe("event identity, process and image repository", () => {
  const base = { rule: "Terminal shell in container", priority: "Notice", time: "2024-01-01T00:00:00.123456789Z", output: "shell", hostname: "node-1" };

  it("keys an event by its uuid, else by rule, time as sent, output and hostname", () => {
    const [withUuid] = parseFalcoEvents({ ...base, uuid: "8f3c", output_fields: {} });
    expect(withUuid!.eventKey).toBe(fingerprint("8f3c"));
    const [a] = parseFalcoEvents({ ...base, output_fields: { "proc.name": "sh" } });
    expect(a!.eventKey).toBe(fingerprint(base.rule, base.time, base.output, base.hostname));
    // Nanoseconds count: two events in one millisecond are two events.
    const [b] = parseFalcoEvents({ ...base, time: "2024-01-01T00:00:00.123456790Z", output_fields: {} });
    expect(b!.eventKey).not.toBe(a!.eventKey);
    const [c] = parseFalcoEvents({ ...base, hostname: "node-2", output_fields: {} });
    expect(c!.eventKey).not.toBe(a!.eventKey);
  });

  it("reads the process from proc.exepath, else proc.name, ignoring <NA>, and none for audit events", () => {
    const ev = (f: Record<string, string>) => parseFalcoEvents({ ...base, output_fields: f })[0]!;
    expect(ev({ "proc.exepath": "/bin/busybox", "proc.name": "sh", "proc.cmdline": "sh -c id", "user.name": "root" })).toMatchObject({
      process: "/bin/busybox", cmdline: "sh -c id", user: "root",
    });
    expect(ev({ "proc.exepath": "<NA>", "proc.name": "bash" }).process).toBe("bash");
    expect(ev({ "proc.name": "<NA>" }).process).toBeNull();
    const audit = parseFalcoEvents({ ...base, source: "k8s_audit", output_fields: { "proc.name": "kubectl", "ka.user.name": "alice" } })[0]!;
    expect(audit).toMatchObject({ process: null, cmdline: null, user: "alice" });
  });

  it("normalizes the image repository as exception scopes write it", () => {
    const repo = (f: Record<string, string>) => parseFalcoEvents({ ...base, output_fields: f })[0]!.imageRepository;
    expect(repo({ "container.image.repository": "alpine" })).toBe("docker.io/library/alpine");
    expect(repo({ "container.image.repository": "ghcr.io/acme/api", "container.image.tag": "1.2" })).toBe("ghcr.io/acme/api");
    expect(repo({ "container.image": "postgres:16" })).toBe("docker.io/library/postgres");
    expect(repo({ "container.image": "registry.local:5000/team/app@sha256:" + "a".repeat(64) })).toBe("registry.local:5000/team/app");
    expect(repo({ "container.image.repository": "<NA>" })).toBeNull();
    expect(repo({})).toBeNull();
  });
});

describe("the hand-written validity check", () => {
  // Every variation of a real event: each field missing, null, empty, of another type, or at a limit.
  const values: unknown[] = [undefined, null, "", "x", "Notice", "CRITICAL", "2024-01-01T00:00:00Z", "2024-13-45T99:99:00Z", "2024-01-01", 0, 1.5, Infinity, NaN, true, [], ["a"], [1, null, true], [[1]], [{}], {}, { a: 1 }, "y".repeat(257), "y".repeat(1_025), "y".repeat(65_537)];
  const keys = ["uuid", "output", "priority", "rule", "time", "output_fields", "source", "tags", "hostname"];
  const variants = (base: Record<string, unknown>) => {
    const out: unknown[] = [base];
    for (const k of keys) for (const v of values) out.push({ ...base, [k]: v });
    for (const v of values) out.push({ ...base, output_fields: { ...(base.output_fields as object), "proc.name": v } });
    out.push({ ...base, output_fields: Object.fromEntries(Array.from({ length: 513 }, (_, i) => [`f${i}`, i])) });
    out.push({ ...base, output_fields: { ["k".repeat(513)]: 1 } });
    out.push({ ...base, output_fields: { list: new Array(257).fill(1) } });
    out.push({ ...base, tags: new Array(101).fill("t") });
    return out;
  };

  it("accepts nothing the schema refuses, and reads accepted events exactly as the schema does", () => {
    let accepted = 0;
    for (const base of all()) {
      for (const v of variants(base)) {
        const plain = isPlainFalcoEvent(v);
        const schema = falcoEventSchema.safeParse(v);
        if (plain) {
          accepted++;
          expect(schema.success, JSON.stringify(v).slice(0, 300)).toBe(true);
          // A null-prototype copy takes the schema's path: both paths normalize alike.
          const viaSchema = { ...(v as object), output_fields: Object.assign(Object.create(null), (v as { output_fields: object }).output_fields) };
          expect(isPlainFalcoEvent(viaSchema)).toBe(false);
          expect(parseFalcoEvents([v])).toEqual(parseFalcoEvents([viaSchema]));
        }
      }
    }
    // The fast path is the common one: the fixtures and most harmless variations take it.
    expect(accepted).toBeGreaterThan(12 * 40);
  });
});

describe("urgent reports", () => {
  const ev = (priority: string) => ({ rule: "r", priority, time: "2026-01-01T00:00:00Z", output_fields: {} });
  it("are those with an Emergency, Alert or Critical event, in any case, alone or in an array", () => {
    for (const p of ["Emergency", "ALERT", "critical"]) expect(hasCriticalFalcoEvent(ev(p))).toBe(true);
    expect(hasCriticalFalcoEvent([ev("Notice"), ev("Warning"), ev("Critical")])).toBe(true);
    for (const p of ["Error", "Warning", "Notice", "Informational", "Debug"]) expect(hasCriticalFalcoEvent([ev(p)])).toBe(false);
    expect(hasCriticalFalcoEvent([])).toBe(false);
    expect(hasCriticalFalcoEvent([null, 3, { priority: 7 }])).toBe(false);
  });
});

describe("bad input", () => {
  it("names each missing required field, with the array index", () => {
    for (const name of ["rule", "priority", "time", "output_fields"]) {
      const events = all();
      delete events[0][name];
      expect(fields(() => parseFalcoEvents(events)).map((f) => f.path)).toEqual([`0.${name}`]);
      const single = load("07-terminal-shell-in-container.json");
      delete single[name];
      expect(fields(() => parseFalcoEvents(single)).map((f) => f.path)).toEqual([name]);
    }
  });

  it("rejects unknown priorities, bad times and non-scalar fields", () => {
    const e = load("08-terminal-shell-in-container.json");
    expect(fields(() => parseFalcoEvents({ ...e, priority: "Severe" }))[0]?.path).toBe("priority");
    expect(fields(() => parseFalcoEvents({ ...e, time: "yesterday" }))[0]?.path).toBe("time");
    expect(fields(() => parseFalcoEvents({ ...e, time: 1618082841 }))[0]?.path).toBe("time");
    expect(fields(() => parseFalcoEvents({ ...e, output_fields: { a: { nested: true } } }))[0]?.path).toBe("output_fields.a");
    expect(fields(() => parseFalcoEvents({ ...e, output_fields: [] }))[0]?.path).toBe("output_fields");
    expect(fields(() => parseFalcoEvents({ ...e, tags: "k8s" }))[0]?.path).toBe("tags");
  });

  it("accepts priorities in any case", () => {
    const e = load("08-terminal-shell-in-container.json");
    expect(parseFalcoEvents({ ...e, priority: "CRITICAL" })[0]?.severity).toBe("CRITICAL");
    expect(parseFalcoEvents({ ...e, priority: "error" })[0]?.severity).toBe("HIGH");
  });

  it("rejects non-objects, empty and oversized batches", () => {
    for (const bad of [null, 3, "x", true]) expect(fields(() => parseFalcoEvents(bad))[0]?.path).toBe("(root)");
    expect(fields(() => parseFalcoEvents([]))[0]?.path).toBe("(root)");
    expect(fields(() => parseFalcoEvents([load("01-disallowed-k8s-user.json"), 5]))[0]?.path).toBe("1");
    expect(fields(() => parseFalcoEvents(new Array(10_001).fill(load("01-disallowed-k8s-user.json"))))[0]?.message).toMatch(/Too many events/);
  });
});
