import { describe, expect, it } from "vitest";
import { diffLines, diffStats, withContext } from "./line-diff.ts";

describe("diffLines", () => {
  it("marks nothing for identical texts and numbers both sides", () => {
    const d = diffLines("a\nb\n", "a\nb\n");
    expect(d).toEqual([
      { type: "same", text: "a", oldNo: 1, newNo: 1 },
      { type: "same", text: "b", oldNo: 2, newNo: 2 },
    ]);
    expect(diffStats(d)).toEqual({ added: 0, removed: 0 });
  });

  it("shows a changed line as removed then added, with line numbers of each side", () => {
    const d = diffLines("id: x\nenforcement: AUDIT\nseverity: LOW\n", "id: x\nenforcement: ENFORCE\nseverity: LOW\n");
    expect(d).toEqual([
      { type: "same", text: "id: x", oldNo: 1, newNo: 1 },
      { type: "del", text: "enforcement: AUDIT", oldNo: 2 },
      { type: "add", text: "enforcement: ENFORCE", newNo: 2 },
      { type: "same", text: "severity: LOW", oldNo: 3, newNo: 3 },
    ]);
  });

  it("finds the longest common subsequence around insertions and deletions", () => {
    const d = diffLines("a\nb\nc\nd\ne", "a\nc\nx\nd\ne\nf");
    expect(d.map((l) => `${l.type === "same" ? " " : l.type === "add" ? "+" : "-"}${l.text}`)).toEqual([" a", "-b", " c", "+x", " d", " e", "+f"]);
    expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
    const added = d.filter((l) => l.type === "add");
    expect(added.map((l) => (l.type === "add" ? l.newNo : 0))).toEqual([3, 6]);
  });

  it("handles empty sides", () => {
    expect(diffLines("", "a\n")).toEqual([{ type: "add", text: "a", newNo: 1 }]);
    expect(diffLines("a", "")).toEqual([{ type: "del", text: "a", oldNo: 1 }]);
    expect(diffLines("", "")).toEqual([]);
  });
});

describe("withContext", () => {
  it("keeps changes with their context and folds long unchanged runs", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n");
    const after = before.replace("line 10", "line ten");
    const shown = withContext(diffLines(before, after), 2);
    expect(shown[0]).toEqual({ type: "skip", count: 8 });
    expect(shown.slice(1, -1).map((l) => ("text" in l ? l.text : ""))).toEqual(["line 8", "line 9", "line 10", "line ten", "line 11", "line 12"]);
    expect(shown[shown.length - 1]).toEqual({ type: "skip", count: 7 });
  });

  it("folds everything when nothing changed", () => {
    expect(withContext(diffLines("a\nb", "a\nb"))).toEqual([{ type: "skip", count: 2 }]);
  });
});
