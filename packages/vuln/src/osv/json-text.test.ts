import { describe, expect, it } from "vitest";
import { parseOsvJsonText } from "./json-text.ts";

const RECORD = { id: "GHSA-aaaa-bbbb-cccc", modified: "2024-05-01T10:00:00Z" };

describe("parseOsvJsonText", () => {
  it("parses one record", () => {
    const [r, ...rest] = parseOsvJsonText(JSON.stringify(RECORD), "a.json");
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ ok: true, advisory: { externalId: RECORD.id } });
  });

  it("parses an array of records into one result each, in order, valid or not", () => {
    const results = parseOsvJsonText(JSON.stringify([RECORD, { id: "CVE-2024-1" }, { ...RECORD, id: "DSA-1-1" }]), "bulk.json");
    expect(results.map((r) => (r.ok ? r.advisory.externalId : `invalid:${r.id}`))).toEqual([
      "GHSA-aaaa-bbbb-cccc",
      "invalid:CVE-2024-1",
      "DSA-1-1",
    ]);
    expect(parseOsvJsonText("[]", "empty.json")).toEqual([]);
  });

  it("reports invalid JSON once, naming the origin", () => {
    const results = parseOsvJsonText('{"id": "GHSA-1", ', "feeds/npm/GHSA-1.json");
    expect(results).toHaveLength(1);
    const [r] = results;
    expect(r?.ok).toBe(false);
    if (r && !r.ok) {
      expect(r.id).toBeNull();
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]?.path).toEqual([]);
      expect(r.issues[0]?.message).toMatch(/^feeds\/npm\/GHSA-1\.json: invalid JSON: /);
    }
  });

  it("bounds the message even when the input is huge", () => {
    const [r] = parseOsvJsonText(`{"id": "${"x".repeat(100_000)}`, "o".repeat(10_000));
    expect(r && !r.ok && (r.issues[0]?.message.length ?? 0) < 500).toBe(true);
  });

  it("accepts a UTF-8 byte order mark", () => {
    expect(parseOsvJsonText(`\uFEFF${JSON.stringify(RECORD)}`, "bom.json")[0]?.ok).toBe(true);
  });

  it("turns a JSON scalar into a failed record, not an exception", () => {
    expect(parseOsvJsonText("42", "n.json")).toEqual([
      { ok: false, id: null, issues: [{ path: [], message: expect.any(String) as string }] },
    ]);
  });
});
