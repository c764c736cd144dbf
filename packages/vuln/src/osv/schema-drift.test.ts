import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CVSS_VECTOR_PATTERNS } from "./cvss.ts";
import { OSV_ID_PREFIX } from "./schema.ts";

// The id-prefix and CVSS vector patterns are copied from the official OSV JSON schema
// (test/fixtures/osv/osv-schema.json, ossf/osv-schema 51b8156). When the fixture is refreshed from a
// newer schema, these tests say which copied pattern must follow.

interface SeverityRule {
  if: { properties: { type: { const: string } } };
  then: { properties: { score: { pattern?: string } } };
}
const schema = JSON.parse(
  readFileSync(new URL("../../test/fixtures/osv/osv-schema.json", import.meta.url), "utf8"),
) as { $defs: { prefix: { pattern: string }; severity: { items: { allOf: SeverityRule[] } } } };

function schemaScorePattern(type: string): string {
  const rule = schema.$defs.severity.items.allOf.find((r) => r.if.properties.type.const === type);
  const pattern = rule?.then.properties.score.pattern;
  if (!pattern) throw new Error(`no pattern for ${type} in the schema`);
  return pattern;
}

describe("patterns copied from the OSV schema", () => {
  it("id prefix", () => {
    expect(OSV_ID_PREFIX.source).toBe(new RegExp(schema.$defs.prefix.pattern).source);
  });

  it.each(["CVSS_V2", "CVSS_V3", "CVSS_V4"] as const)("%s vector", (type) => {
    expect(CVSS_VECTOR_PATTERNS[type].source).toBe(new RegExp(schemaScorePattern(type)).source);
  });
});
