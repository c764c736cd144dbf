// Plain-text summaries of the JSON Schemas in the OpenAPI document, for the reference page. Kept free
// of React so they are unit-testable.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  example?: unknown;
  default?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};

/** "#/components/schemas/Problem" → "Problem". */
export function refName(ref: string): string {
  return ref.split("/").at(-1) ?? ref;
}

export interface TypeLabel {
  text: string;
  /** Component schema names mentioned, so the page can link them. */
  refs: string[];
}

export function typeLabel(s: JsonSchema | undefined, depth = 0): TypeLabel {
  if (!s) return { text: "any", refs: [] };
  if (s.$ref) return { text: refName(s.$ref), refs: [refName(s.$ref)] };
  if (depth > 4) return { text: "…", refs: [] };
  if (s.const !== undefined) return { text: JSON.stringify(s.const), refs: [] };
  if (s.enum) return { text: s.enum.map((v) => JSON.stringify(v)).join(" | "), refs: [] };
  const alts = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alts) {
    const parts = alts.map((a) => typeLabel(a, depth + 1));
    return { text: parts.map((p) => p.text).join(s.allOf ? " & " : " or "), refs: parts.flatMap((p) => p.refs) };
  }
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return { text: s.properties ? "object" : "any", refs: [] };
  const parts = types.map((t) => {
    if (t === "array") {
      const inner = typeLabel(s.items, depth + 1);
      return { text: `array of ${inner.text}`, refs: inner.refs };
    }
    if (t === "object" && !s.properties && s.additionalProperties && typeof s.additionalProperties === "object") {
      const inner = typeLabel(s.additionalProperties, depth + 1);
      return { text: `map of ${inner.text}`, refs: inner.refs };
    }
    return { text: s.format ? `${t} (${s.format})` : t, refs: [] as string[] };
  });
  return { text: parts.map((p) => p.text).join(" or "), refs: parts.flatMap((p) => p.refs) };
}

/** Constraints worth telling a client: pattern, bounds, default, example. */
export function constraints(s: JsonSchema): string[] {
  const out: string[] = [];
  if (s.pattern) out.push(`pattern ${s.pattern}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) out.push(`length ${s.minLength ?? 0}–${s.maxLength ?? "∞"}`);
  if (s.minimum !== undefined || s.maximum !== undefined) out.push(`range ${s.minimum ?? "−∞"}–${s.maximum ?? "∞"}`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  if (s.example !== undefined) out.push(`e.g. ${JSON.stringify(s.example)}`);
  return out;
}

export interface FieldRow {
  /** Dotted path; array items are written name[]. */
  name: string;
  depth: number;
  type: TypeLabel;
  required: boolean;
  description: string;
  constraints: string[];
}

/** Flattens an object schema's properties (and inline nested objects, up to maxDepth) into table rows. */
export function fieldRows(s: JsonSchema | undefined, maxDepth = 3): FieldRow[] {
  const rows: FieldRow[] = [];
  const walk = (schema: JsonSchema | undefined, prefix: string, depth: number) => {
    if (!schema?.properties || depth > maxDepth) return;
    const required = new Set(schema.required ?? []);
    for (const [key, prop] of Object.entries(schema.properties)) {
      const name = prefix ? `${prefix}.${key}` : key;
      rows.push({ name, depth, type: typeLabel(prop), required: required.has(key), description: prop.description ?? "", constraints: constraints(prop) });
      if (prop.properties) walk(prop, name, depth + 1);
      else if (prop.items?.properties) walk(prop.items, `${name}[]`, depth + 1);
    }
  };
  walk(s, "", 0);
  return rows;
}
