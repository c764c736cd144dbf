import { describe, expect, it } from "vitest";
import { MAX_DEPTH, parseManifests } from "./parse.ts";

describe("parseManifests: YAML", () => {
  it("reads every document of a stream, skipping empty ones", () => {
    const text = "kind: A\n---\n---\n# only a comment\n---\nkind: B\n...\n---\nkind: C\n";
    const docs = parseManifests(text, "f.yaml");
    expect(docs).toEqual([
      { source: "f.yaml", index: 0, object: { kind: "A" } },
      { source: "f.yaml", index: 3, object: { kind: "B" } },
      { source: "f.yaml", index: 4, object: { kind: "C" } },
    ]);
  });

  it("returns nothing for empty input", () => {
    expect(parseManifests("", "x")).toEqual([]);
    expect(parseManifests("  \n# c\n", "x")).toEqual([]);
    expect(parseManifests("---\n", "x")).toEqual([]);
    expect(parseManifests("null\n", "x")).toEqual([]);
  });

  it("reports non-object documents as errors", () => {
    const docs = parseManifests("- a\n---\nhello\n---\n42\n---\nkind: Ok\n", "f");
    expect(docs.map((d) => [d.index, d.error?.message, d.object])).toEqual([
      [0, "expected a Kubernetes object, got a list", undefined],
      [1, "expected a Kubernetes object, got a string", undefined],
      [2, "expected a Kubernetes object, got a number", undefined],
      [3, undefined, { kind: "Ok" }],
    ]);
  });

  it("reports syntax errors with 1-based positions and keeps the other documents", () => {
    const docs = parseManifests("kind: A\n---\nkind: B\n  bad: [\n---\nkind: C\n", "f");
    expect(docs[0]).toEqual({ source: "f", index: 0, object: { kind: "A" } });
    expect(docs[1]?.index).toBe(1);
    expect(docs[1]?.error?.line).toBeGreaterThanOrEqual(3);
    expect(docs[1]?.error?.column).toBeGreaterThanOrEqual(1);
    expect(docs[1]?.error?.message).not.toContain("\n");
    expect(docs[2]).toEqual({ source: "f", index: 2, object: { kind: "C" } });
  });

  it("rejects duplicate keys (go-yaml and js-yaml would disagree on which wins)", () => {
    const [doc] = parseManifests("kind: Pod\nspec:\n  hostPID: false\n  hostPID: true\n", "f");
    expect(doc?.error).toMatchObject({ message: expect.stringMatching(/unique/i), line: 4, column: 3 });
  });

  it("reads YAML 1.1 booleans like Kubernetes does", () => {
    const [doc] = parseManifests("a: yes\nb: on\nc: off\nd: 'yes'\ne: 1.10\n", "f");
    expect(doc?.object).toEqual({ a: true, b: true, c: false, d: "yes", e: 1.1 });
  });

  it("resolves a few aliases and merge keys but stops alias bombs", () => {
    expect(parseManifests("a: &x {k: v}\nb: *x\nc:\n  <<: *x\n  z: 1\n", "f")[0]?.object).toEqual({ a: { k: "v" }, b: { k: "v" }, c: { k: "v", z: 1 } });
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [n, p] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"], ["f", "e"], ["g", "f"], ["h", "g"]] as const) lines.push(`${n}: &${n} [${Array(9).fill(`*${p}`).join(",")}]`);
    const [doc] = parseManifests(lines.join("\n"), "bomb");
    expect(doc?.object).toBeUndefined();
    expect(doc?.error?.message).toMatch(/alias/i);
  });

  it("stops absurd nesting before it exhausts memory", () => {
    for (const text of ["[".repeat(100_000), "a: " + "[".repeat(5000) + "]".repeat(5000), "- ".repeat(20_000) + "x", "a:\n" + Array.from({ length: 150 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n") + " v"]) {
      const docs = parseManifests(text, "deep");
      expect(docs).toHaveLength(1);
      expect(docs[0]?.error?.message).toBe(`document nests deeper than ${MAX_DEPTH} levels`);
    }
    // Deep but legal nesting still parses.
    const ok = parseManifests("a: " + "[".repeat(MAX_DEPTH - 2) + "]".repeat(MAX_DEPTH - 2), "ok");
    expect(ok[0]?.object).toBeDefined();
  });

  it("keeps __proto__ as plain data", () => {
    const [doc] = parseManifests("__proto__:\n  polluted: 1\n", "f");
    expect(Object.prototype.hasOwnProperty.call(doc?.object, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.getPrototypeOf(doc?.object)).toBe(Object.prototype);
  });
});

describe("parseManifests: JSON", () => {
  it("parses a JSON object", () => {
    expect(parseManifests('  {"kind":"Pod","metadata":{"name":"p"}}', "p.json")).toEqual([{ source: "p.json", index: 0, object: { kind: "Pod", metadata: { name: "p" } } }]);
  });

  it("rejects a top-level JSON array and scalars", () => {
    expect(parseManifests("[1,2]", "a.json")[0]?.error?.message).toBe("expected a Kubernetes object, got a list");
  });

  it("falls back to YAML for flow-style text and reports broken JSON with a position", () => {
    expect(parseManifests("{kind: Pod}", "f")[0]?.object).toEqual({ kind: "Pod" });
    const [bad] = parseManifests('{"kind": "Pod",\n "spec": {', "f");
    expect(bad?.error?.line).toBeGreaterThanOrEqual(1);
  });

  it("guards nesting in JSON too", () => {
    const text = "[".repeat(MAX_DEPTH + 5) + "]".repeat(MAX_DEPTH + 5);
    expect(parseManifests(`{"a":${text}}`, "f")[0]?.error?.message).toMatch(/nests deeper/);
  });
});

describe("parseManifests: lists", () => {
  it("expands a generic List", () => {
    const text = JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Pod" }, { apiVersion: "apps/v1", kind: "Deployment" }, "junk"] });
    expect(parseManifests(text, "l")).toEqual([
      { source: "l", index: 0, itemIndex: 0, object: { apiVersion: "v1", kind: "Pod" } },
      { source: "l", index: 0, itemIndex: 1, object: { apiVersion: "apps/v1", kind: "Deployment" } },
      { source: "l", index: 0, itemIndex: 2, error: { message: "list item is not a Kubernetes object, got a string" } },
    ]);
  });

  it("fills in kind and apiVersion for items of a typed list", () => {
    const item = { metadata: { name: "p" } };
    const docs = parseManifests(`kind: Foo\n---\n${JSON.stringify({ apiVersion: "v1", kind: "PodList", items: [item, { kind: "Pod", apiVersion: "v2" }] })}`, "l");
    expect(docs.map((d) => [d.index, d.itemIndex, d.object])).toEqual([
      [0, undefined, { kind: "Foo" }],
      [1, 0, { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }],
      [1, 1, { kind: "Pod", apiVersion: "v2" }],
    ]);
    expect(item).toEqual({ metadata: { name: "p" } });
  });

  it("keeps a *List kind without items as an object", () => {
    expect(parseManifests("kind: PodList\nitems: nope\n", "l")).toEqual([{ source: "l", index: 0, object: { kind: "PodList", items: "nope" } }]);
    expect(parseManifests("kind: List\nitems: []\n", "l")).toEqual([]);
  });
});
