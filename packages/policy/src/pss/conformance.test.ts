import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseManifests } from "../input/parse.ts";
import { toResource } from "../input/resource.ts";
import { evaluatePss } from "./evaluate.ts";
import { PSS_CHECKS, type PssCheckId, type PssLevel, parsePssVersion, pssOverrides } from "./index.ts";

// Upstream's conformance fixtures (test/testdata of k8s.io/pod-security-admission, copied under
// test/fixtures/pss): every pass/*.yaml must be allowed and every fail/*.yaml denied, at the
// fixture's level, at its version and at "latest". A fail fixture must fail the check its file name
// starts with (`fail/runasnonroot3.yaml` → runAsNonRoot), or the restricted check that replaces that
// baseline check at this version (restricted reports procMount as procMount_restricted, etc.).

const ROOT = fileURLToPath(new URL("../../test/fixtures/pss/", import.meta.url));
const LEVELS: PssLevel[] = ["baseline", "restricted"];
const ID_BY_PREFIX = new Map(PSS_CHECKS.map((c) => [c.id.toLowerCase(), c.id]));

interface Fixture {
  file: string;
  level: PssLevel;
  version: string;
  expect: "pass" | "fail";
  check?: PssCheckId;
}

function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const level of LEVELS) {
    for (const version of readdirSync(join(ROOT, level))) {
      for (const expect of ["pass", "fail"] as const) {
        for (const name of readdirSync(join(ROOT, level, version, expect)).sort()) {
          const prefix = name.replace(/\d*\.yaml$/, "");
          out.push({ file: join(level, version, expect, name), level, version, expect, check: ID_BY_PREFIX.get(prefix) });
        }
      }
    }
  }
  return out;
}

const ALL = fixtures();

describe("PSS conformance fixtures", () => {
  it("finds the upstream fixture set", () => {
    expect(ALL.length).toBe(148);
    // Every fail fixture is named after a known check; pass fixtures may be base pods.
    expect(ALL.filter((f) => f.expect === "fail" && !f.check).map((f) => f.file)).toEqual([]);
  });

  it("agrees with upstream on every fixture at its version and at latest", () => {
    const disagreements: string[] = [];
    let evaluations = 0;
    for (const f of ALL) {
      const docs = parseManifests(readFileSync(join(ROOT, f.file), "utf8"), f.file);
      const object = docs.length === 1 ? docs[0]?.object : undefined;
      if (!object) {
        disagreements.push(`${f.file}: expected one object, got ${JSON.stringify(docs)}`);
        continue;
      }
      const resource = toResource(object);
      for (const version of [f.version, "latest"]) {
        evaluations += 1;
        const result = evaluatePss(resource, f.level, version);
        const ids = result.failedChecks.map((c) => c.id);
        const where = `${f.file} @ ${version}`;
        if (f.expect === "pass" && !result.allowed) {
          disagreements.push(`${where}: expected allowed, failed ${result.failedChecks.map((c) => `${c.id} (${c.reason}: ${c.detail})`).join("; ")}`);
        } else if (f.expect === "fail") {
          if (result.allowed) disagreements.push(`${where}: expected denied by ${f.check}, was allowed`);
          else if (f.check) {
            const minor = parsePssVersion(version) ?? -1;
            const replacement = f.level === "restricted" ? pssOverrides(minor)[f.check] : undefined;
            if (!ids.includes(f.check) && !(replacement && ids.includes(replacement))) {
              disagreements.push(`${where}: expected ${f.check}${replacement ? ` (or ${replacement})` : ""} among failed checks, got ${ids.join(", ")}`);
            }
          }
        }
      }
    }
    expect(evaluations).toBe(ALL.length * 2);
    expect(disagreements).toEqual([]);
  });
});
