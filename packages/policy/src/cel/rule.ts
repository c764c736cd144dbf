import type { EvalContext } from "../engine/context.ts";
import type { ContainerRef, Violation } from "../types.ts";
import type { CelProgram, ExistsProgram } from "./compile.ts";
import { celContainerVars, celVars } from "./variables.ts";

// Runs a compiled CEL rule against one resource. The expression describes the BAD state: `true` is a
// violation, `false` a pass, anything else (or a CEL runtime error) an error the engine reports as an
// error result for this policy and resource only.

function asBool(value: unknown): boolean {
  if (value === true) return true;
  if (value === false) return false;
  throw new Error(`the CEL expression returned ${value === null ? "null" : typeof value} instead of a bool`);
}

function containerViolation(message: string, c: ContainerRef): Violation {
  return { message, container: c.name, path: c.path };
}

export function celCheck(program: CelProgram, message: string): (ctx: EvalContext) => Violation[] {
  const { run, perContainer, usesImage, usesRequest, exists, variables } = program;
  return (ctx) => {
    const { resource, request } = ctx.input;
    if (usesRequest && !request) return [];
    if (perContainer) {
      const out: Violation[] = [];
      for (let i = 0; i < resource.containers.length; i++) {
        const vars = celContainerVars(ctx, i, variables);
        if (usesImage && vars["image"] === null) continue;
        if (asBool(run(vars))) out.push(containerViolation(message, resource.containers[i]!));
      }
      return out;
    }
    const vars = celVars(ctx, variables);
    if (exists) {
      const found = runExists(exists, vars, resource.containers, message);
      if (found !== undefined) return found;
    }
    return asBool(run(vars)) ? [{ message }] : [];
  };
}

/**
 * `X.exists(v, P)` with the loop run here: the containers among X's elements for which P holds, each
 * one violation. Elements are matched to containers by identity (CEL hands back the manifest's own
 * objects), so this works for `containers`, `podSpec.initContainers` and
 * `object.spec.template.spec.containers` alike; for lists that are not containers (volumes, ports)
 * the violation is resource-level. CEL's rules for errors are kept: an element that errors does not
 * matter when another one holds, and is the result when none does. Undefined when X is not a list
 * (a map), for the caller to run the rule as a whole.
 */
function runExists(exists: ExistsProgram, vars: Record<string, unknown>, containers: readonly ContainerRef[], message: string): Violation[] | undefined {
  const list = exists.receiver(vars);
  if (!Array.isArray(list)) return undefined;
  const activation: Record<string, unknown> = { [exists.iterVar]: null };
  for (const name of exists.predicateVariables) activation[name] = vars[name];
  let holds = false;
  let error: unknown;
  const out: Violation[] = [];
  for (const element of list) {
    activation[exists.iterVar] = element;
    let result: boolean;
    try {
      result = asBool(exists.predicate(activation));
    } catch (err) {
      error ??= err;
      continue;
    }
    if (!result) continue;
    holds = true;
    for (let i = 0; i < containers.length; i++) if (containers[i]!.spec === element) out.push(containerViolation(message, containers[i]!));
  }
  if (holds) return out.length > 0 ? out : [{ message }];
  if (error !== undefined) throw error;
  return [];
}
