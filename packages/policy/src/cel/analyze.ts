import type { ASTNode } from "@marcbachmann/cel-js";

// Static facts about a parsed CEL rule, computed once at compile time: which variables it reads
// (that decides whether it runs per resource, per container or only at admission), regex literals
// that would only fail at evaluation time, and whether it has the `X.exists(c, P)` shape that lets
// the engine name the offending containers.

type AnyNode = { op: string; args: unknown; range?: { start: number; end: number } };

// Comprehension macros bind their leading identifier argument(s) inside the remaining arguments.
const BINDING_MACROS = new Set(["all", "exists", "exists_one", "existsOne", "map", "filter", "transformList", "transformMap", "sortBy"]);

function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && "op" in value && "args" in value;
}

/** Calls `visit` for every node with the set of identifiers bound by enclosing macros. */
function walk(node: unknown, bound: ReadonlySet<string>, visit: (node: AnyNode, bound: ReadonlySet<string>) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, bound, visit);
    return;
  }
  if (!isNode(node)) return;
  visit(node, bound);
  const args = node.args;
  if (node.op === "rcall" && Array.isArray(args)) {
    const [name, receiver, callArgs] = args as [string, unknown, unknown[]];
    const isBind = name === "bind" && isNode(receiver) && receiver.op === "id" && receiver.args === "cel";
    if (!isBind) walk(receiver, bound, visit);
    if ((BINDING_MACROS.has(name) || isBind) && Array.isArray(callArgs) && callArgs.length >= 2) {
      const inner = new Set(bound);
      // cel.bind(x, init, body): `init` is outside x's scope.
      if (isBind) {
        walk(callArgs[1], bound, visit);
        const first = callArgs[0];
        if (isNode(first) && first.op === "id") inner.add(first.args as string);
        walk(callArgs.slice(2), inner, visit);
        return;
      }
      let i = 0;
      for (; i < callArgs.length - 1; i++) {
        const arg = callArgs[i];
        if (!isNode(arg) || arg.op !== "id") break;
        inner.add(arg.args as string);
      }
      walk(callArgs.slice(i), inner, visit);
      return;
    }
    walk(callArgs, bound, visit);
    return;
  }
  if (node.op === "call" && Array.isArray(args)) return walk(args[1], bound, visit);
  if (node.op === "." || node.op === ".?") return walk((args as unknown[])[0], bound, visit);
  if (node.op === "id" || node.op === "value") return;
  walk(args, bound, visit);
}

/** Variables the expression reads that are not bound by one of its own macros. */
export function freeVariables(ast: ASTNode): Set<string> {
  const free = new Set<string>();
  walk(ast, new Set(), (node, bound) => {
    if (node.op === "id" && !bound.has(node.args as string)) free.add(node.args as string);
  });
  return free;
}

export interface LiteralError {
  message: string;
  offset: number;
}

/**
 * Regex literals of `matches()` that JavaScript cannot compile. The library compiles the pattern when
 * the rule runs; an admin should learn about a typo when saving the policy, not from error results.
 */
export function invalidRegexLiterals(ast: ASTNode): LiteralError[] {
  const errors: LiteralError[] = [];
  walk(ast, new Set(), (node) => {
    let pattern: unknown;
    if (node.op === "rcall") {
      const [name, , callArgs] = node.args as [string, unknown, unknown[]];
      if (name === "matches") pattern = callArgs[0];
    } else if (node.op === "call") {
      const [name, callArgs] = node.args as [string, unknown[]];
      if (name === "matches") pattern = callArgs[1];
    }
    if (!isNode(pattern) || pattern.op !== "value" || typeof pattern.args !== "string") return;
    try {
      new RegExp(pattern.args);
    } catch (err) {
      errors.push({ message: `invalid regular expression: ${(err as Error).message}`, offset: pattern.range?.start ?? 0 });
    }
  });
  return errors;
}

/** The parts of a top-level `receiver.exists(v, predicate)`, as source text to compile separately. */
export interface ExistsShape {
  iterVar: string;
  receiver: string;
  predicate: string;
}

export function topLevelExists(ast: ASTNode, source: string): ExistsShape | undefined {
  const node = ast as unknown as AnyNode;
  if (node.op !== "rcall") return undefined;
  const [name, receiver, callArgs] = node.args as [string, unknown, unknown[]];
  if (name !== "exists" || callArgs.length !== 2) return undefined;
  const [iter, predicate] = callArgs;
  if (!isNode(iter) || iter.op !== "id" || !isNode(receiver) || !isNode(predicate)) return undefined;
  if (!receiver.range || !predicate.range) return undefined;
  return {
    iterVar: iter.args as string,
    receiver: source.slice(receiver.range.start, receiver.range.end),
    predicate: source.slice(predicate.range.start, predicate.range.end),
  };
}
