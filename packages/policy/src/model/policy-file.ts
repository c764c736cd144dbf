import type { Document } from "yaml";
import { compilePolicySet, type PolicySetOptions } from "./compile.ts";
import type { CompiledPolicy, PolicyCompileError } from "./types.ts";
import { locate, parseYamlSource, type SourcePosition } from "./yaml-source.ts";

// A policy file (CLI --policies, bundles) as YAML or JSON: a list of definitions, an object with a
// `policies` list, or one definition per YAML document. Errors carry the definition path and, where
// it can be found, the line and column in the file; CEL errors also keep their position inside the
// expression.

export interface PolicyFileError {
  /** Definition path, e.g. `[1].rule.expression` (empty for errors about the file as a whole). */
  path: string;
  message: string;
  /** Where in the file (1-based). */
  file?: SourcePosition;
  /** For CEL rules: where in the expression (1-based line and column, 0-based offset). */
  expression?: { line: number; column: number; offset: number };
}

export type PolicyFileResult = { ok: true; policies: CompiledPolicy[] } | { ok: false; errors: PolicyFileError[] };

const MAX_ALIAS_COUNT = 100;

type Where = (index: number, rest: (string | number)[]) => SourcePosition | undefined;

/** Splits the file into definitions, with a way to find where a definition's field is written. */
function definitions(text: string): { defs: unknown[]; where: Where } | PolicyFileError {
  const source = parseYamlSource(text);
  if (!source) return { path: "", message: "the file nests too deep" };
  for (const doc of source.documents) {
    const e = doc.errors[0];
    if (e) return { path: "", message: e.message.split("\n")[0] ?? e.message, file: source.position(e.pos[0]) };
  }
  const docs = source.documents.filter((d) => d.contents !== null);
  const pos = (doc: Document.Parsed | undefined, path: (string | number)[]) => {
    const offset = doc ? locate(doc, path) : undefined;
    return offset === undefined ? undefined : source.position(offset);
  };
  try {
    if (docs.length === 1) {
      const doc = docs[0]!;
      const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (Array.isArray(value)) return { defs: value, where: (i, rest) => pos(doc, [i, ...rest]) };
      const policies = value !== null && typeof value === "object" ? (value as { policies?: unknown }).policies : undefined;
      if (Array.isArray(policies)) return { defs: policies, where: (i, rest) => pos(doc, ["policies", i, ...rest]) };
      return { defs: [value], where: (_i, rest) => pos(doc, rest) };
    }
    return { defs: docs.map((d) => d.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown), where: (i, rest) => pos(docs[i], rest) };
  } catch (err) {
    // toJS refuses alias bombs (maxAliasCount).
    return { path: "", message: (err as Error).message.split("\n")[0] ?? String(err) };
  }
}

/** `[2].rule.sections[0]` → index 2 and the segments after it. */
function splitPath(path: string): { index: number; rest: (string | number)[] } | undefined {
  const m = /^\[(\d+)\](.*)$/.exec(path);
  if (!m) return undefined;
  const rest: (string | number)[] = [];
  for (const part of (m[2] ?? "").matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) rest.push(part[1] !== undefined ? part[1] : Number(part[2]));
  return { index: Number(m[1]), rest };
}

/** Parses and compiles a policy file in one step. */
export function compilePolicyFile(text: string, options?: PolicySetOptions): PolicyFileResult {
  const parsed = definitions(text);
  if (!("defs" in parsed)) return { ok: false, errors: [parsed] };
  const result = compilePolicySet(parsed.defs, options);
  if (result.ok) return result;
  return {
    ok: false,
    errors: result.errors.map((e: PolicyCompileError): PolicyFileError => {
      const split = splitPath(e.path);
      const file = split ? parsed.where(split.index, split.rest) : undefined;
      const expression = e.line !== undefined && e.column !== undefined ? { line: e.line, column: e.column, offset: e.offset ?? 0 } : undefined;
      return { path: e.path, message: e.message, ...(file ? { file } : {}), ...(expression ? { expression } : {}) };
    }),
  };
}
