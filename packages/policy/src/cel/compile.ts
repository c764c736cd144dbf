import type { ASTNode, Context, ParseResult } from "@marcbachmann/cel-js";
import { freeVariables, invalidRegexLiterals, topLevelExists } from "./analyze.ts";
import { CEL_VARIABLE_NAMES, CEL_VARIABLES, celEnvironment } from "./env.ts";

// Compiles a CEL rule once: parse, type-check against the shared environment, validate regex
// literals, and work out how the engine must run it. The result is a set of closures; evaluating a
// rule never parses again.

export type CelRun = (vars: Context) => unknown;

export interface CelProgram {
  readonly source: string;
  readonly run: CelRun;
  /** Resource-level variables it reads (built lazily per resource, see variables.ts). */
  readonly variables: readonly string[];
  /** Reads `container` or `image`: evaluated once per container. */
  readonly perContainer: boolean;
  /** Reads `image`: containers whose image has no scan facts are skipped. */
  readonly usesImage: boolean;
  /** Reads `request`: only evaluated when there is an admission request. */
  readonly usesRequest: boolean;
  /**
   * For a resource-level rule of the form `X.exists(v, P)`: X and P compiled on their own. The engine
   * then runs the loop itself, which names each container (element of X) for which P holds without
   * evaluating anything twice (see rule.ts).
   */
  readonly exists: ExistsProgram | undefined;
}

export interface ExistsProgram {
  readonly iterVar: string;
  readonly receiver: CelRun;
  readonly predicate: CelRun;
  /** Resource-level variables P reads besides the iteration variable. */
  readonly predicateVariables: readonly string[];
}

export interface CelCompileError {
  message: string;
  /** 0-based offset into the expression. */
  offset: number;
}

export type CelCompileResult = { ok: true; program: CelProgram } | { ok: false, errors: CelCompileError[] };

interface CelLibError extends Error {
  summary?: string;
  range?: { start: number; end: number };
}

function toError(err: unknown): CelCompileError {
  const e = err as CelLibError;
  const message = e.summary ?? e.message.split("\n")[0] ?? String(err);
  const unknown = /^Unknown variable: (.+)$/.exec(message);
  return {
    message: unknown ? `unknown variable '${unknown[1]}' (available: ${CEL_VARIABLES.map((v) => v.name).join(", ")})` : message,
    offset: e.range?.start ?? 0,
  };
}

function parseChecked(source: string, extraVariable?: string): { parsed: ParseResult } | { error: CelCompileError } {
  try {
    let env = celEnvironment;
    if (extraVariable !== undefined && !env.hasVariable(extraVariable)) env = env.clone().registerVariable(extraVariable, "dyn");
    const parsed = env.parse(source);
    const checked = parsed.check();
    if (!checked.valid) return { error: toError(checked.error) };
    if (checked.type !== "bool" && checked.type !== "dyn") {
      return { error: { message: `the expression must return a bool (true means "violation"), but it returns ${checked.type}`, offset: 0 } };
    }
    return { parsed };
  } catch (err) {
    return { error: toError(err) };
  }
}

function compileExists(ast: ASTNode, source: string): ExistsProgram | undefined {
  const shape = topLevelExists(ast, source);
  if (!shape) return undefined;
  // Both parts already type-checked as part of the whole; compiling them alone cannot fail unless the
  // receiver is not a plain expression, in which case the rule simply runs as a whole.
  try {
    const receiver = celEnvironment.parse(shape.receiver);
    const predicate = parseChecked(shape.predicate, shape.iterVar);
    if (!("parsed" in predicate)) return undefined;
    const predicateVariables = [...freeVariables(predicate.parsed.ast)].filter((v) => v !== shape.iterVar);
    return { iterVar: shape.iterVar, receiver, predicate: predicate.parsed, predicateVariables };
  } catch {
    return undefined;
  }
}

export function compileCel(source: string): CelCompileResult {
  const result = parseChecked(source);
  if ("error" in result) return { ok: false, errors: [result.error] };
  const { parsed } = result;
  const regexErrors = invalidRegexLiterals(parsed.ast);
  if (regexErrors.length > 0) return { ok: false, errors: regexErrors };

  const free = freeVariables(parsed.ast);
  for (const name of free) {
    // The type checker already rejects unknown variables; this guards against a library change.
    if (!CEL_VARIABLE_NAMES.has(name)) return { ok: false, errors: [{ message: `unknown variable '${name}'`, offset: 0 }] };
  }
  const usesImage = free.has("image");
  const perContainer = usesImage || free.has("container");
  return {
    ok: true,
    program: {
      source,
      run: parsed,
      variables: [...free].filter((v) => v !== "container" && v !== "image"),
      perContainer,
      usesImage,
      usesRequest: free.has("request"),
      exists: perContainer ? undefined : compileExists(parsed.ast, source),
    },
  };
}
