import { describe, expect, it } from "vitest";
import { POLICY_ENGINE_VERSION } from "./index.ts";

describe("policy package", () => {
  it("is wired into the workspace", () => {
    expect(POLICY_ENGINE_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
