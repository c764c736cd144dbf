import { describe, expect, it } from "vitest";
import type { Operator } from "../model/schema.ts";
import { type FieldDefinition, fieldDefinition, OPERATORS_BY_TYPE } from "./catalog.ts";
import { compileOperator } from "./operators.ts";

// Every operator on every field type, including absent values and Kubernetes defaults.

const field = (id: string) => fieldDefinition(id)!;
function test(def: FieldDefinition, op: Operator, values: (string | number | boolean)[]) {
  const r = compileOperator(def, op, values, "c");
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.test;
}

const str = field("container.image"); // string, no default
const num = field("container.securityContext.runAsUser"); // number, no default
const flag = field("container.securityContext.privileged"); // boolean, default false
const ape = field("container.securityContext.allowPrivilegeEscalation"); // boolean, default true
const list = field("container.capabilities.add"); // string[]
const nums = field("container.ports.hostPort"); // number[]
const map = field("resource.labels"); // map
const object = field("container.livenessProbe"); // object

describe("scalar operators", () => {
  it("equals / notEquals, with absent values and defaults", () => {
    expect(test(str, "equals", ["nginx"])("nginx")).toBe(true);
    expect(test(str, "equals", ["nginx"])("redis")).toBe(false);
    expect(test(str, "equals", ["nginx"])(undefined)).toBe(false);
    expect(test(str, "notEquals", ["nginx"])(undefined)).toBe(true);
    expect(test(flag, "equals", [false])(undefined)).toBe(true); // privileged defaults to false
    expect(test(flag, "equals", [true])(undefined)).toBe(false);
    expect(test(ape, "notEquals", [false])(undefined)).toBe(true); // allowPrivilegeEscalation defaults to true
    expect(test(num, "equals", [0])(0)).toBe(true);
  });

  it("in / notIn", () => {
    expect(test(str, "in", ["a", "b"])("b")).toBe(true);
    expect(test(str, "in", ["a", "b"])("c")).toBe(false);
    expect(test(str, "in", ["a"])(undefined)).toBe(false);
    expect(test(str, "notIn", ["a", "b"])("c")).toBe(true);
    expect(test(str, "notIn", ["a", "b"])(undefined)).toBe(true);
    expect(test(num, "in", [0, 1000])(1000)).toBe(true);
  });

  it("exists / notExists look at presence only, never at defaults", () => {
    expect(test(flag, "exists", [])(undefined)).toBe(false);
    expect(test(flag, "exists", [])(false)).toBe(true);
    expect(test(flag, "notExists", [])(undefined)).toBe(true);
    expect(test(object, "exists", [])({ httpGet: {} })).toBe(true);
    expect(test(object, "notExists", [])(undefined)).toBe(true);
  });

  it("contains / notContains / startsWith / endsWith on strings (any of the values)", () => {
    expect(test(str, "contains", ["acme", "zzz"])("ghcr.io/acme/api")).toBe(true);
    expect(test(str, "contains", ["zzz"])("ghcr.io/acme/api")).toBe(false);
    expect(test(str, "contains", ["a"])(undefined)).toBe(false);
    expect(test(str, "notContains", ["zzz"])("ghcr.io/acme/api")).toBe(true);
    expect(test(str, "notContains", ["acme"])("ghcr.io/acme/api")).toBe(false);
    expect(test(str, "notContains", ["acme"])(undefined)).toBe(true);
    expect(test(str, "startsWith", ["quay.io/", "ghcr.io/"])("ghcr.io/x")).toBe(true);
    expect(test(str, "startsWith", ["quay.io/"])("ghcr.io/x")).toBe(false);
    expect(test(str, "endsWith", [":latest"])("nginx:latest")).toBe(true);
    expect(test(str, "endsWith", [":latest"])(undefined)).toBe(false);
  });

  it("matches compiles each regex once and tests any", () => {
    const t = test(str, "matches", ["^ghcr\\.io/acme/", ":v?\\d+$"]);
    expect(t("ghcr.io/acme/api:latest")).toBe(true);
    expect(t("nginx:1")).toBe(true);
    expect(t("nginx:latest")).toBe(false);
    expect(t(undefined)).toBe(false);
  });

  it("gt / gte / lt / lte on numbers; absent does not compare", () => {
    expect(test(num, "gt", [999])(1000)).toBe(true);
    expect(test(num, "gt", [1000])(1000)).toBe(false);
    expect(test(num, "gte", [1000])(1000)).toBe(true);
    expect(test(num, "lt", [1000])(0)).toBe(true);
    expect(test(num, "lt", [0])(0)).toBe(false);
    expect(test(num, "lte", [0])(0)).toBe(true);
    for (const op of ["gt", "gte", "lt", "lte"] as const) expect(test(num, op, [0])(undefined)).toBe(false);
  });
});

describe("list operators", () => {
  it("contains: some element is one of the values; notContains: none is", () => {
    expect(test(list, "contains", ["SYS_ADMIN", "NET_ADMIN"])(["CHOWN", "NET_ADMIN"])).toBe(true);
    expect(test(list, "contains", ["SYS_ADMIN"])(["CHOWN"])).toBe(false);
    expect(test(list, "contains", ["SYS_ADMIN"])(undefined)).toBe(false);
    expect(test(list, "notContains", ["ALL"])(["CHOWN"])).toBe(true);
    expect(test(list, "notContains", ["ALL"])(undefined)).toBe(true);
    expect(test(list, "notContains", ["ALL"])(["ALL"])).toBe(false);
  });

  it("in: every element is allowed (and there is one); notIn: some element is not", () => {
    expect(test(list, "in", ["NET_BIND_SERVICE"])(["NET_BIND_SERVICE"])).toBe(true);
    expect(test(list, "in", ["NET_BIND_SERVICE"])([])).toBe(false);
    expect(test(list, "in", ["NET_BIND_SERVICE"])(["NET_BIND_SERVICE", "SYS_ADMIN"])).toBe(false);
    expect(test(list, "notIn", ["NET_BIND_SERVICE"])(["NET_BIND_SERVICE", "SYS_ADMIN"])).toBe(true);
    expect(test(list, "notIn", ["NET_BIND_SERVICE"])(["NET_BIND_SERVICE"])).toBe(false);
    expect(test(list, "notIn", ["NET_BIND_SERVICE"])(undefined)).toBe(false);
  });

  it("exists / notExists: non-empty or not", () => {
    expect(test(list, "exists", [])(["A"])).toBe(true);
    expect(test(list, "exists", [])([])).toBe(false);
    expect(test(list, "notExists", [])([])).toBe(true);
    expect(test(list, "notExists", [])(undefined)).toBe(true);
  });

  it("startsWith / endsWith / matches: some element", () => {
    expect(test(list, "startsWith", ["SYS_"])(["CHOWN", "SYS_TIME"])).toBe(true);
    expect(test(list, "endsWith", ["_ADMIN"])(["CHOWN"])).toBe(false);
    expect(test(list, "matches", ["^NET_"])(["NET_RAW"])).toBe(true);
  });

  it("number lists compare any element", () => {
    expect(test(nums, "contains", [22])([80, 22])).toBe(true);
    expect(test(nums, "gt", [0])([0, 0])).toBe(false);
    expect(test(nums, "gt", [0])([0, 8080])).toBe(true);
    expect(test(nums, "lte", [1024])([8080])).toBe(false);
  });
});

describe("map operators", () => {
  const labels = { app: "web", team: "core" };
  it("contains `key` or `key=value` entries; notContains none of them", () => {
    expect(test(map, "contains", ["team"])(labels)).toBe(true);
    expect(test(map, "contains", ["team=core"])(labels)).toBe(true);
    expect(test(map, "contains", ["team=edge"])(labels)).toBe(false);
    expect(test(map, "contains", ["owner", "app=web"])(labels)).toBe(true);
    expect(test(map, "notContains", ["owner"])(labels)).toBe(true);
    expect(test(map, "notContains", ["app"])(labels)).toBe(false);
    expect(test(map, "notContains", ["owner"])(undefined)).toBe(true);
  });

  it("does not see inherited keys", () => {
    expect(test(map, "contains", ["constructor"])({})).toBe(false);
  });

  it("exists / notExists: any entries or none", () => {
    expect(test(map, "exists", [])(labels)).toBe(true);
    expect(test(map, "exists", [])({})).toBe(false);
    expect(test(map, "notExists", [])({})).toBe(true);
  });
});

describe("validation", () => {
  const errors = (def: FieldDefinition, op: Operator, values: (string | number | boolean)[]) => {
    const r = compileOperator(def, op, values, "rule.sections[0].conditions[1]");
    return r.ok ? [] : r.errors;
  };

  it("rejects operators the field's type does not support", () => {
    expect(errors(flag, "gt", [1])).toEqual([
      { path: "rule.sections[0].conditions[1].operator", message: "operator gt does not apply to container.securityContext.privileged (boolean); use one of: equals, notEquals, exists, notExists" },
    ]);
  });

  it("checks the number of values", () => {
    expect(errors(str, "equals", ["a", "b"])).toEqual([{ path: "rule.sections[0].conditions[1].values", message: "equals takes exactly one value" }]);
    expect(errors(str, "exists", ["a"])).toEqual([{ path: "rule.sections[0].conditions[1].values", message: "exists takes no values" }]);
    expect(errors(str, "in", [])).toEqual([{ path: "rule.sections[0].conditions[1].values", message: "in takes at least one value" }]);
  });

  it("coerces values to the field's type or names the bad one", () => {
    expect(errors(num, "in", ["1000", 0])).toEqual([]);
    expect(errors(num, "in", [1, "abc"])).toEqual([{ path: "rule.sections[0].conditions[1].values[1]", message: 'expected a number, got "abc"' }]);
    expect(errors(flag, "equals", ["true"])).toEqual([]);
    expect(errors(flag, "equals", ["yes"])).toEqual([{ path: "rule.sections[0].conditions[1].values[0]", message: 'expected true or false, got "yes"' }]);
    expect(errors(str, "equals", [true])).toEqual([{ path: "rule.sections[0].conditions[1].values[0]", message: "expected a string, got true" }]);
    expect(test(num, "equals", ["0"])(0)).toBe(true);
  });

  it("rejects invalid regexes at their index", () => {
    const [e] = errors(str, "matches", ["ok", "(["]);
    expect(e?.path).toBe("rule.sections[0].conditions[1].values[1]");
    expect(e?.message).toMatch(/^invalid regular expression: /);
  });

  it("checks enumerated values", () => {
    const kind = field("container.kind");
    expect(errors(kind, "equals", ["initContainer"])).toEqual([]);
    expect(errors(kind, "in", ["container", "sidecar"])).toEqual([{ path: "rule.sections[0].conditions[1].values[1]", message: "must be one of: container, initContainer, ephemeralContainer" }]);
  });

  it("every type lists only operators it implements", () => {
    for (const ops of Object.values(OPERATORS_BY_TYPE)) expect(ops.length).toBeGreaterThan(1);
  });
});
