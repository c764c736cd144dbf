import { describe, expect, it } from "vitest";
import { fieldRows, typeLabel } from "./schema.ts";

describe("schema summaries for the API reference", () => {
  it("names types, references, unions, arrays and enums", () => {
    expect(typeLabel({ $ref: "#/components/schemas/Problem" })).toEqual({ text: "Problem", refs: ["Problem"] });
    expect(typeLabel({ type: "array", items: { $ref: "#/components/schemas/FalcoEvent" } }).text).toBe("array of FalcoEvent");
    expect(typeLabel({ type: ["string", "null"], format: "date-time" }).text).toBe("string (date-time) or null (date-time)");
    expect(typeLabel({ enum: ["PENDING", "PROCESSED"] }).text).toBe('"PENDING" | "PROCESSED"');
    expect(typeLabel({ anyOf: [{ type: "string" }, { type: "null" }] }).text).toBe("string or null");
    expect(typeLabel({ type: "object", additionalProperties: { type: "number" } }).text).toBe("map of number");
  });

  it("flattens nested object fields with dotted paths and required flags", () => {
    const rows = fieldRows({
      type: "object",
      required: ["registry"],
      properties: {
        registry: { type: "object", required: ["name"], properties: { name: { type: "string", maxLength: 200, description: "Registry name" } } },
        images: { type: "array", items: { type: "object", properties: { digest: { type: "string", pattern: "^sha256:" } } } },
      },
    });
    expect(rows.map((r) => [r.name, r.required])).toEqual([
      ["registry", true],
      ["registry.name", true],
      ["images", false],
      ["images[].digest", false],
    ]);
    expect(rows[1]!.description).toBe("Registry name");
    expect(rows[1]!.constraints).toEqual(["length 0–200"]);
    expect(rows[3]!.constraints).toEqual(["pattern ^sha256:"]);
  });
});
