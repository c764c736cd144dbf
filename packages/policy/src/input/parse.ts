import { Composer, Parser, type CST, type Document as YamlDocument, type YAMLError } from "yaml";
import type { JsonObject } from "../types.ts";
import { isObject } from "./path.ts";

// Turns a file's text (YAML stream or JSON) into the Kubernetes objects it holds. Input comes from
// users and CI pipelines, so nothing here throws: every problem becomes an error entry with a position.

export interface ParseError {
  message: string;
  /** 1-based, when known. */
  line?: number;
  column?: number;
}

export interface ParsedDocument {
  /** Where the text came from (file name, `stdin`, …), copied from the caller. */
  source: string;
  /** 0-based index of the YAML document in the stream (0 for JSON). */
  index: number;
  /** 0-based index inside a `List`'s `items`, for objects that came from a list. */
  itemIndex?: number;
  object?: JsonObject;
  error?: ParseError;
}

/** Deeper than any real manifest (CRD schemas included); stops stack-exhausting inputs early. */
export const MAX_DEPTH = 100;
/** Alias expansions per document: a handful is normal, thousands is a "billion laughs" bomb. */
export const MAX_ALIAS_COUNT = 100;

export function parseManifests(text: string, source: string): ParsedDocument[] {
  const trimmed = text.trimStart();
  // JSON first when it looks like JSON: faster on big `kubectl get -o json` dumps, and JSON's
  // duplicate-key rule (last wins) matches Go's encoding/json, which the API server uses.
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let value: unknown;
    let ok = false;
    try {
      value = JSON.parse(text);
      ok = true;
    } catch {
      // Not JSON after all (e.g. YAML flow style): the YAML parser below reports a position.
    }
    if (ok) return expand(value, source, 0);
  }
  return parseYaml(text, source);
}

function parseYaml(text: string, source: string): ParsedDocument[] {
  const out: ParsedDocument[] = [];
  let docs: YamlDocument.Parsed[];
  const tooDeep = new Set<number>();
  try {
    // Parse to a CST first: yaml's composer recurses per nesting level and exhausts memory on a
    // few thousand levels (`[[[[…` or `- - - …`), an uncatchable crash. The CST parser does not, so
    // over-deep documents are found and emptied here, before composing.
    const tokens = Array.from(new Parser().parse(text));
    let docIndex = 0;
    for (const token of tokens) {
      if (token.type !== "document") continue;
      if (token.value && cstTooDeep(token.value)) {
        tooDeep.add(docIndex);
        delete token.value;
      }
      docIndex += 1;
    }
    // YAML 1.1 because Kubernetes parses with go-yaml, where `privileged: yes` / `on` are booleans;
    // reading them as strings would let such a manifest slip past the checks.
    const composer = new Composer({ version: "1.1", uniqueKeys: true, logLevel: "silent" });
    docs = Array.from(composer.compose(tokens));
    if (docs.length === 0) {
      // Only comments or whitespace; a stream-level error (e.g. a stray `...`) still counts.
      return composer.streamInfo().errors.map((e) => ({ source, index: 0, error: yamlError(e, text) }));
    }
  } catch (err) {
    return [{ source, index: 0, error: { message: messageOf(err) } }];
  }
  docs.forEach((doc, index) => {
    if (tooDeep.has(index)) {
      out.push({ source, index, error: { message: `document nests deeper than ${MAX_DEPTH} levels`, ...position(text, doc.range[0]) } });
      return;
    }
    const first = doc.errors[0];
    if (first) {
      out.push({ source, index, error: yamlError(first, text) });
      return;
    }
    // `---` followed by nothing, or a document that is only comments.
    if (doc.contents === null) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      out.push({ source, index, error: { message: messageOf(err), ...position(text, doc.range[0]) } });
      return;
    }
    if (value === null || value === undefined) return;
    out.push(...expand(value, source, index));
  });
  return out;
}

/**
 * True when a CST node nests collections deeper than MAX_DEPTH (walked with an explicit stack): yaml's
 * composer recurses, and a few thousand levels would exhaust the stack before any limit applies.
 */
export function cstTooDeep(root: CST.Token): boolean {
  const stack: [CST.Token, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token, number];
    if (token.type !== "block-map" && token.type !== "block-seq" && token.type !== "flow-collection") continue;
    if (depth > MAX_DEPTH) return true;
    for (const item of token.items as CST.CollectionItem[]) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return false;
}

/** A List (`kind: List` or any `*List` with `items`) becomes its items; anything else one entry. */
function expand(value: unknown, source: string, index: number): ParsedDocument[] {
  if (!isObject(value)) return [{ source, index, error: { message: `expected a Kubernetes object, got ${describe(value)}` } }];
  if (tooDeep(value)) return [{ source, index, error: { message: `document nests deeper than ${MAX_DEPTH} levels` } }];
  const kind = value["kind"];
  const items = value["items"];
  if (typeof kind !== "string" || !kind.endsWith("List") || !Array.isArray(items)) return [{ source, index, object: value }];
  // Typed lists from the API (PodList, DeploymentList) omit kind/apiVersion on items: restore them so
  // each item is recognized. A generic `List` always carries them per item.
  const itemKind = kind === "List" ? undefined : kind.slice(0, -"List".length);
  const apiVersion = value["apiVersion"];
  return items.map((item, itemIndex): ParsedDocument => {
    if (!isObject(item)) return { source, index, itemIndex, error: { message: `list item is not a Kubernetes object, got ${describe(item)}` } };
    if (itemKind === undefined || (item["kind"] !== undefined && item["apiVersion"] !== undefined)) return { source, index, itemIndex, object: item };
    const object: JsonObject = { ...item };
    if (object["kind"] === undefined) object["kind"] = itemKind;
    if (object["apiVersion"] === undefined && typeof apiVersion === "string") object["apiVersion"] = apiVersion;
    return { source, index, itemIndex, object };
  });
}

/** Iterative, so the check itself cannot blow the stack on the input it guards against. */
function tooDeep(root: unknown): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== "object" || node === null) continue;
    if (depth > MAX_DEPTH) return true;
    for (const child of Object.values(node)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

function messageOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // yaml's pretty errors append a source excerpt after the first line; keep the message itself.
  return msg.split("\n")[0] ?? msg;
}

function yamlError(e: YAMLError, text: string): ParseError {
  return { message: messageOf(e), ...position(text, e.pos[0]) };
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
