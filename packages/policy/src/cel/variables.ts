import { type EvalContext, factsOf, imageRefOf } from "../engine/context.ts";

// CEL activations are shared by every CEL rule judged against the same resource (see EvalContext) and
// hold only what some rule reads: each variable is built the first time a rule that reads it runs. The
// values are the manifest's own objects, not copies: CEL never mutates them, and copying would cost
// more than evaluating most rules. Per-container activations copy the resource's (a fixed set of
// fields) rather than inheriting them: a prototype that differs per resource would push V8 into slow,
// dictionary-mode objects.

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

type Vars = Record<string, unknown>;

function build(ctx: EvalContext, name: string): unknown {
  const { resource: r, request, cluster, settings } = ctx.input;
  switch (name) {
    case "object":
      return r.object;
    case "podSpec":
      return r.podSpec ?? EMPTY;
    case "containers": {
      const specs = new Array<unknown>(r.containers.length);
      for (let i = 0; i < specs.length; i++) specs[i] = r.containers[i]!.spec;
      return specs;
    }
    case "resource":
      return {
        apiVersion: r.apiVersion,
        kind: r.kind,
        name: r.name,
        namespace: r.namespace ?? "",
        labels: r.labels,
        annotations: r.annotations,
        podLabels: r.podMetadata?.labels ?? EMPTY,
        podAnnotations: r.podMetadata?.annotations ?? EMPTY,
        cluster: cluster ?? "",
      };
    case "settings":
      return { trustedRegistries: settings.trustedRegistries };
    case "request":
      return request ?? null;
    default:
      // container and image only exist in per-container activations.
      return null;
  }
}

/** Not built yet. Every activation starts with all variables present (one object shape for V8). */
const UNSET = Symbol("unset");

/** The resource-level activation, with at least the `needed` variables filled in. */
export function celVars(ctx: EvalContext, needed: readonly string[]): Vars {
  const vars = (ctx.celVars ??= { object: UNSET, resource: UNSET, podSpec: UNSET, containers: UNSET, settings: UNSET, request: UNSET, container: null, image: null });
  for (let i = 0; i < needed.length; i++) {
    const name = needed[i]!;
    if (vars[name] === UNSET) vars[name] = build(ctx, name);
  }
  return vars;
}

/**
 * The activation for judging container `index`: the resource's plus `container` and `image`. `image`
 * is null when its image has no scan facts; rules that read `image` skip such containers (caller).
 * Cached per container; rules with different needs share it (missing variables are added).
 */
export function celContainerVars(ctx: EvalContext, index: number, needed: readonly string[]): Vars {
  const base = celVars(ctx, needed);
  const cache = (ctx.celContainerVars ??= new Array(ctx.input.resource.containers.length));
  const cached = cache[index];
  if (cached) {
    for (let i = 0; i < needed.length; i++) if (cached[needed[i]!] === UNSET) cached[needed[i]!] = base[needed[i]!];
    return cached;
  }
  const container = ctx.input.resource.containers[index]!;
  const facts = factsOf(ctx.input, container.image);
  let image: Vars | null = null;
  if (facts) {
    const ref = imageRefOf(ctx, index);
    image = { ...facts, registry: facts.registry ?? ref?.registry ?? "", repository: ref?.repository ?? "", tag: ref?.tag ?? "", digest: facts.digest ?? ref?.digest ?? "" };
  }
  const vars: Vars = { ...base, container: container.spec, image };
  cache[index] = vars;
  return vars;
}
