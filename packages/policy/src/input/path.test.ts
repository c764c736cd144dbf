import { describe, expect, it } from "vitest";
import { arrayAt, getPath, isObject, objectAt, parsePath, prop, stringAt, stringMap } from "./path.ts";

describe("parsePath", () => {
  it("splits dotted and indexed paths", () => {
    expect(parsePath("spec.template.spec.containers[0].image")).toEqual(["spec", "template", "spec", "containers", 0, "image"]);
    expect(parsePath("a[1][2]")).toEqual(["a", 1, 2]);
    expect(parsePath("[3].x")).toEqual([3, "x"]);
    expect(parsePath("")).toEqual([]);
  });

  it("accepts quoted keys containing dots and brackets", () => {
    expect(parsePath('metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]')).toEqual([
      "metadata",
      "annotations",
      "container.apparmor.security.beta.kubernetes.io/app",
    ]);
    expect(parsePath("a['x]y'].b")).toEqual(["a", "x]y", "b"]);
  });

  it("rejects malformed paths", () => {
    for (const bad of ["a..b", ".a", "a.", "a[x]", "a[", 'a["x]', "a[0]b", "a[-1]"]) expect(parsePath(bad), bad).toBeUndefined();
  });
});

describe("getPath", () => {
  const obj = { a: { b: [{ c: 1 }, "s"], "x.y": true }, n: null };

  it("reads nested values", () => {
    expect(getPath(obj, "a.b[0].c")).toBe(1);
    expect(getPath(obj, "a.b[1]")).toBe("s");
    expect(getPath(obj, 'a["x.y"]')).toBe(true);
    expect(getPath(obj, ["a", "b", 0, "c"])).toBe(1);
    expect(getPath(obj, "n")).toBeNull();
  });

  it("is undefined for missing or mistyped steps, never throwing", () => {
    expect(getPath(obj, "a.b[5]")).toBeUndefined();
    expect(getPath(obj, "a.b.c")).toBeUndefined();
    expect(getPath(obj, "a[0]")).toBeUndefined();
    expect(getPath(obj, "n.x")).toBeUndefined();
    expect(getPath("str", "length")).toBeUndefined();
    expect(getPath(obj, "a..b")).toBeUndefined();
  });

  it("never resolves inherited properties", () => {
    expect(getPath({}, "constructor")).toBeUndefined();
    expect(getPath({}, "__proto__")).toBeUndefined();
    expect(getPath({ a: {} }, "a.toString")).toBeUndefined();
    expect(getPath([1, 2], "length")).toBeUndefined();
  });
});

describe("typed accessors", () => {
  it("treat wrong types as absent", () => {
    const o = { s: "x", n: 1, arr: [1], obj: { k: "v" } };
    expect(isObject(o.arr)).toBe(false);
    expect(isObject(null)).toBe(false);
    expect(prop(o, "s")).toBe("x");
    expect(prop(o.arr, "0")).toBeUndefined();
    expect(objectAt(o, "obj")).toEqual({ k: "v" });
    expect(objectAt(o, "arr")).toBeUndefined();
    expect(arrayAt(o, "arr")).toEqual([1]);
    expect(arrayAt(o, "obj")).toBeUndefined();
    expect(stringAt(o, "s")).toBe("x");
    expect(stringAt(o, "n")).toBeUndefined();
    expect(stringAt(undefined, "s")).toBeUndefined();
  });

  it("stringMap keeps only string values", () => {
    expect(stringMap({ a: "1", b: 2, c: null, d: "x" })).toEqual({ a: "1", d: "x" });
    expect(stringMap(["a"])).toEqual({});
    expect(stringMap("a")).toEqual({});
  });
});
