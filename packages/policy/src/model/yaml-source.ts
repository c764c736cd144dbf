import { Composer, type Document, isCollection, LineCounter, Parser } from "yaml";
import { cstTooDeep } from "../input/parse.ts";
import { parsePath } from "../input/path.ts";

// Where a value sits in a YAML (or JSON) text, so errors and findings can name a line: a policy file's
// `[1].rule.expression`, a manifest's `spec.template.spec.containers[0].securityContext.privileged`.
// Pure and bounded: documents nested deeper than the input module's MAX_DEPTH are refused before yaml's
// recursive composer could exhaust the stack on them.

export interface SourcePosition {
  line: number;
  column: number;
}

export interface YamlSource {
  documents: Document.Parsed[];
  /** 1-based line and column of a character offset. */
  position(offset: number): SourcePosition;
}

/** Parses every document of `text`; undefined when a document nests too deep to compose safely. */
export function parseYamlSource(text: string, version: "1.1" | "1.2" = "1.2"): YamlSource | undefined {
  const lineCounter = new LineCounter();
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  for (const token of tokens) if (token.type === "document" && token.value && cstTooDeep(token.value)) return undefined;
  const documents = Array.from(new Composer({ version, logLevel: "silent" }).compose(tokens));
  return {
    documents,
    position(offset) {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    },
  };
}

/**
 * Offset of the deepest node along `path` (segments, or a dotted/indexed string) in `doc`: a path to a
 * field that is not written (say, a missing `runAsNonRoot`) points at its closest written parent.
 */
export function locate(doc: Document.Parsed, path: string | readonly (string | number)[]): number | undefined {
  const segments = typeof path === "string" ? parsePath(path) : path;
  if (!segments) return undefined;
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0];
  for (const seg of segments) {
    if (!isCollection(node)) break;
    // yaml's get() takes a string key for maps and a number for sequences.
    const next: unknown = node.get(seg, true);
    if (next === undefined) break;
    node = next;
    const range = (next as { range?: [number, number, number] }).range;
    if (range) offset = range[0];
  }
  return offset;
}
