import { z } from "zod";

// The bound every connector body passes before anything recursive walks it (the format parsers, the
// normalizers): shared by the API routes and the ingestion benchmark, which runs what a POST runs.

/** Deeper than any real report; stops hostile nesting before anything recursive walks the body. */
export const MAX_JSON_DEPTH = 64;

/** The first path nested deeper than maxDepth, or null. Iterative, so depth itself cannot overflow the stack. */
export function tooDeepPath(value: unknown, maxDepth = MAX_JSON_DEPTH): (string | number)[] | null {
  // Each entry links to its parent, so a report's hundreds of thousands of nodes cost one small object
  // each; the path is only spelled out for the node that is too deep.
  interface Node {
    v: unknown;
    key: string | number | null;
    parent: Node | null;
    depth: number;
  }
  const stack: Node[] = [{ v: value, key: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.v;
    if (v === null || typeof v !== "object") continue;
    if (node.depth >= maxDepth) {
      const path: (string | number)[] = [];
      for (let n: Node | null = node; n?.key != null; n = n.parent) path.unshift(n.key);
      return path;
    }
    const depth = node.depth + 1;
    if (Array.isArray(v)) v.forEach((c, i) => stack.push({ v: c, key: i, parent: node, depth }));
    else for (const k in v) if (Object.hasOwn(v, k)) stack.push({ v: (v as Record<string, unknown>)[k], key: k, parent: node, depth });
  }
  return null;
}

export const reportBodySchema = z.unknown().superRefine((v, ctx) => {
  const path = tooDeepPath(v);
  if (path) ctx.addIssue({ code: "custom", path, message: `Nested deeper than ${MAX_JSON_DEPTH} levels` });
});

