import { describe, expect, it } from "vitest";
import { celEnvironment } from "./env.ts";
import { freeVariables, invalidRegexLiterals, topLevelExists } from "./analyze.ts";
import { compileCel } from "./compile.ts";

function program(source: string) {
  const r = compileCel(source);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.program;
}

describe("compileCel", () => {
  it("decides per resource, per container or admission-only from the variables read", () => {
    expect(program("object.metadata.name == 'x'")).toMatchObject({ perContainer: false, usesImage: false, usesRequest: false, variables: ["object"] });
    expect(program("container.name == 'x'")).toMatchObject({ perContainer: true, usesImage: false, variables: [] });
    expect(program("image.malware.detected")).toMatchObject({ perContainer: true, usesImage: true });
    expect(program("request.operation == 'CREATE' && resource.kind == 'Pod'")).toMatchObject({ usesRequest: true, variables: ["request", "resource"] });
  });

  it("does not mistake a macro's iteration variable for the `container` variable", () => {
    const p = program("containers.exists(container, container.name == 'x')");
    expect(p.perContainer).toBe(false);
    expect(p.variables).toEqual(["containers"]);
  });

  it("compiles a top-level exists over any list into receiver and predicate", () => {
    expect(program("containers.exists(c, c.name == 'x')").exists?.iterVar).toBe("c");
    expect(program("object.spec.template.spec.containers.exists(x, x.name == 'a')").exists?.iterVar).toBe("x");
    expect(program("containers.exists(c, c.name == 'x') || true").exists).toBeUndefined();
    expect(program("containers.all(c, c.name == 'x')").exists).toBeUndefined();
  });

  it("rejects expressions that cannot return a bool", () => {
    const r = compileCel("object.metadata.name + '!'");
    expect(r).toEqual({ ok: false, errors: [{ message: 'the expression must return a bool (true means "violation"), but it returns string', offset: 0 }] });
  });

  it("rejects invalid regex literals at their position", () => {
    const r = compileCel("container.image.matches('^(ghcr')");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]?.offset).toBe(24);
    expect(r.errors[0]?.message).toMatch(/^invalid regular expression: /);
  });

  it("reports the position of a syntax error", () => {
    expect(compileCel("containers.exists(c, c.name == 'a' ")).toEqual({ ok: false, errors: [{ message: "Expected RPAREN, got EOF", offset: 35 }] });
  });

  it("rejects unknown functions", () => {
    const r = compileCel("object.spec.foo()");
    expect(r.ok).toBe(false);
  });
});

describe("the examples of docs/policies.md", () => {
  it("compile", () => {
    for (const source of [
      "containers.exists(c, c.?securityContext.?privileged.orValue(false))",
      "!container.image.startsWith('ghcr.io/acme/') && container.?securityContext.?runAsUser.orValue(-1) == 0",
      "image.vulnerabilities.fixableCritical > 0",
      "resource.namespace.startsWith('prod-') && !('owner' in resource.labels)",
      "request.operation in ['CREATE', 'UPDATE'] && resource.namespace == 'prod' && request.userInfo.username != 'system:serviceaccount:cd:deployer'",
      "container.image.startsWith('docker.io/') || !container.image.contains('/')",
    ]) {
      expect(compileCel(source).ok, source).toBe(true);
    }
  });
});

describe("analyze", () => {
  const ast = (s: string) => celEnvironment.parse(s).ast;

  it("finds free variables, honouring macro and cel.bind scopes", () => {
    expect([...freeVariables(ast("containers.map(c, c.name).exists(n, n == resource.name)"))].sort()).toEqual(["containers", "resource"]);
    expect([...freeVariables(ast("cel.bind(x, object.a, x == container.b)"))].sort()).toEqual(["container", "object"]);
    expect([...freeVariables(ast("has(object.spec) && matches(container.name, 'a')"))].sort()).toEqual(["container", "object"]);
  });

  it("validates regex literals in both call forms", () => {
    expect(invalidRegexLiterals(ast("matches(container.name, '[')"))).toHaveLength(1);
    expect(invalidRegexLiterals(ast("container.name.matches('[a-z]+')"))).toHaveLength(0);
  });

  it("slices receiver and predicate source of a top-level exists", () => {
    const src = "podSpec.initContainers.exists(ic, has(ic.securityContext))";
    expect(topLevelExists(ast(src), src)).toEqual({ iterVar: "ic", receiver: "podSpec.initContainers", predicate: "has(ic.securityContext)" });
  });
});
