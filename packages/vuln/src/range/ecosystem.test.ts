import { describe, expect, it } from "vitest";
import { ecosystemMatches, normalizeEcosystem } from "./ecosystem.ts";

describe("ecosystemMatches", () => {
  it.each([
    ["npm", "npm"],
    ["Debian", "Debian:12"],
    ["Debian", "Debian"],
    ["Debian:12", "Debian:12"],
    ["Debian:12", "Debian:12.5"],
    ["Alpine:v3.18", "Alpine:v3.18"],
    ["Alpine:v3.18", "Alpine:3.18.4"],
    ["Ubuntu:22.04:LTS", "Ubuntu:22.04"],
    ["Ubuntu:22.04:LTS", "Ubuntu:22.04:LTS"],
    ["Ubuntu:Pro:18.04:LTS", "Ubuntu:18.04"],
    ["Ubuntu:24.10", "Ubuntu:24.10"],
    ["Ubuntu", "Ubuntu:Pro:20.04:LTS"],
    ["Rocky Linux:9", "Rocky Linux:9.3"],
    ["debian", "Debian:11"],
  ])("%j covers %j", (advisory, pkg) => {
    expect(ecosystemMatches(advisory, pkg)).toBe(true);
  });

  it.each([
    ["Debian:11", "Debian:12"],
    ["Debian:12", "Debian"],
    ["Debian", "Ubuntu:22.04"],
    ["Alpine:v3.18", "Alpine:v3.19"],
    ["Alpine:v3.18", "Alpine:3.19.1"],
    ["Ubuntu:22.04:LTS", "Ubuntu:20.04:LTS"],
    ["Ubuntu:Pro:FIPS:22.04:LTS", "Ubuntu:22.04"],
    ["npm", "PyPI"],
    ["Maven:https://maven.google.com", "Maven"],
    ["Red Hat:enterprise_linux:9::appstream", "Red Hat:enterprise_linux:8::appstream"],
  ])("%j does not cover %j", (advisory, pkg) => {
    expect(ecosystemMatches(advisory, pkg)).toBe(false);
  });

  it("normalizes releases per distro convention", () => {
    expect(normalizeEcosystem("Ubuntu:Pro:18.04:LTS")).toEqual({ base: "ubuntu", release: "18.04" });
    expect(normalizeEcosystem("Alpine:3.18.4")).toEqual({ base: "alpine", release: "v3.18" });
    expect(normalizeEcosystem("Alpine:edge")).toEqual({ base: "alpine", release: "edge" });
    expect(normalizeEcosystem("Debian:sid")).toEqual({ base: "debian", release: "sid" });
    expect(normalizeEcosystem("AlmaLinux:8.9")).toEqual({ base: "almalinux", release: "8" });
    expect(normalizeEcosystem("PyPI")).toEqual({ base: "pypi", release: "" });
  });
});
