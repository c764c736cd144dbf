import { parseImageRef, type ImageRef } from "../input/image-ref.ts";
import type { EvaluationInput, ImageFacts } from "../types.ts";

// One resource is judged by many policies. What several of them derive from it (CEL variables, parsed
// image references) is computed on first use and shared through this context, so the cost is paid once
// per resource rather than once per policy.

export interface EvalContext {
  readonly input: EvaluationInput;
  /** CEL variables for this resource (filled by src/cel on first use). */
  celVars: Record<string, unknown> | undefined;
  /** Per-container CEL variables (`container`, `image` added), by container index. */
  celContainerVars: (Record<string, unknown> | undefined)[] | undefined;
  /** Parsed image reference per container index; `null` for a reference that does not parse. */
  imageRefs: (ImageRef | null | undefined)[] | undefined;
}

export function createContext(input: EvaluationInput): EvalContext {
  return { input, celVars: undefined, celContainerVars: undefined, imageRefs: undefined };
}

/** The parsed image reference of container `index`, cached for the resource's lifetime in the context. */
export function imageRefOf(ctx: EvalContext, index: number): ImageRef | undefined {
  const refs = (ctx.imageRefs ??= new Array(ctx.input.resource.containers.length));
  let ref = refs[index];
  if (ref === undefined) {
    ref = parseImageRef(ctx.input.resource.containers[index]?.image ?? "") ?? null;
    refs[index] = ref;
  }
  return ref ?? undefined;
}

/**
 * Scan facts for an image reference. Own properties only: a container image named `constructor` or
 * `__proto__` must not find Object.prototype members.
 */
export function factsOf(input: EvaluationInput, image: string): ImageFacts | undefined {
  return Object.hasOwn(input.images, image) ? input.images[image] : undefined;
}
