import { describe, expect, it } from "vitest";
import { imageDigestPinned, noLatestTag, trustedRegistries } from "./images.ts";
import { SETTINGS, cronJob, deployment, pod, run, where } from "./testing.ts";

const DIGEST = "sha256:0f0e3d8b3c1a4d2e5f60718293a4b5c6d7e8f9012345678901234567890abcde";
const one = (image: string) => pod({ containers: [{ name: "app", image }] });
const trusting = (...trustedRegistries: string[]) => ({ settings: { ...SETTINGS, trustedRegistries } });

describe("no-latest-tag", () => {
  it.each(["nginx", "nginx:latest", "docker.io/library/nginx:latest", "localhost:5000/app", "registry.acme.internal:5000/team/app", "ghcr.io/acme/api:latest"])("flags %s", (image) => {
    const v = run(noLatestTag, one(image));
    expect(where(v)).toEqual([["app", "spec.containers[0].image"]]);
    expect(v[0]?.evidence).toBe(`image: ${image}`);
  });

  it.each(["nginx:1.27.3", "localhost:5000/app:v1", "registry.acme.internal:5000/team/app:2024.06", `nginx@${DIGEST}`, `nginx:latest@${DIGEST}`, "nginx:Latest"])("passes %s", (image) => {
    expect(run(noLatestTag, one(image))).toEqual([]);
  });

  it("says whether the tag is missing or latest", () => {
    expect(run(noLatestTag, one("nginx"))[0]?.message).toContain("without a tag");
    expect(run(noLatestTag, one("nginx:latest"))[0]?.message).toContain("latest tag");
  });

  it("judges init and ephemeral containers, under CronJob nesting", () => {
    const v = run(noLatestTag, cronJob({ containers: [{ name: "a", image: "app:1" }], initContainers: [{ name: "i", image: "busybox" }], ephemeralContainers: [{ name: "e", image: "busybox:latest" }] }));
    expect(where(v)).toEqual([
      ["i", "spec.jobTemplate.spec.template.spec.initContainers[0].image"],
      ["e", "spec.jobTemplate.spec.template.spec.ephemeralContainers[0].image"],
    ]);
  });

  it("leaves invalid references to the other image policies", () => {
    expect(run(noLatestTag, one("Not A Ref"))).toEqual([]);
  });
});

describe("image-digest-pinned", () => {
  it.each([`nginx@${DIGEST}`, `ghcr.io/acme/api:1.2@${DIGEST}`, `localhost:5000/app@${DIGEST}`])("passes %s", (image) => {
    expect(run(imageDigestPinned, one(image))).toEqual([]);
  });

  it.each(["nginx", "nginx:1.27", "ghcr.io/acme/api:1.2", `nginx@md5:${"a".repeat(32)}`])("flags %s", (image) => {
    expect(where(run(imageDigestPinned, one(image)))).toEqual([["app", "spec.containers[0].image"]]);
  });

  it("flags invalid and missing references", () => {
    expect(run(imageDigestPinned, one("UPPER/Case:x"))[0]?.message).toContain("invalid image reference");
    expect(run(imageDigestPinned, pod({ containers: [{ name: "noimage" }] }))[0]?.container).toBe("noimage");
  });

  it("follows Deployment nesting for every container kind", () => {
    const v = run(imageDigestPinned, deployment({ containers: [{ name: "a", image: `a@${DIGEST}` }, { name: "b", image: "b:1" }], initContainers: [{ name: "i", image: "i:1" }] }));
    expect(where(v)).toEqual([
      ["b", "spec.template.spec.containers[1].image"],
      ["i", "spec.template.spec.initContainers[0].image"],
    ]);
  });
});

describe("trusted-registries", () => {
  it("is off with an empty allowlist", () => {
    expect(run(trustedRegistries, one("evil.example.com/miner:1"))).toEqual([]);
  });

  it.each([
    ["nginx", ["docker.io"]],
    ["nginx:1.27", ["index.docker.io"]],
    ["library/nginx", ["registry-1.docker.io"]],
    ["docker.io/library/nginx", ["DOCKER.IO"]],
    ["index.docker.io/acme/api:1", ["docker.io"]],
    ["ghcr.io/acme/api:1", ["quay.io", "ghcr.io"]],
    ["GHCR.IO/acme/api:1", ["ghcr.io"]],
    ["registry.acme.internal:5000/team/app:1", ["registry.acme.internal:5000"]],
    ["localhost:5000/app", ["localhost:5000"]],
    ["ghcr.io/acme/api:1", ["https://ghcr.io/"]],
    ["ghcr.io/acme/api:1", ["ghcr.io/acme"]],
    ["ghcr.io/acme/team/api:1", ["ghcr.io/acme/"]],
    ["acme/api", ["docker.io/acme"]],
    [`123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@${DIGEST}`, ["123456789012.dkr.ecr.eu-west-1.amazonaws.com"]],
  ])("trusts %s with %j", (image, list) => {
    expect(run(trustedRegistries, one(image), trusting(...list))).toEqual([]);
  });

  it.each([
    ["nginx", ["ghcr.io"], "docker.io"],
    ["registry.acme.internal:5000/team/app:1", ["registry.acme.internal"], "registry.acme.internal:5000"],
    ["registry.acme.internal/team/app:1", ["registry.acme.internal:5000"], "registry.acme.internal"],
    ["ghcr.io.evil.com/acme/api:1", ["ghcr.io"], "ghcr.io.evil.com"],
    ["ghcr.io/acmecorp/api:1", ["ghcr.io/acme"], "ghcr.io"],
    ["docker.io/acme/api", ["docker.io/library"], "docker.io"],
    ["quay.io/nginx", ["docker.io"], "quay.io"],
  ])("distrusts %s with %j", (image, list, registry) => {
    const v = run(trustedRegistries, one(image), trusting(...list));
    expect(where(v)).toEqual([["app", "spec.containers[0].image"]]);
    expect(v[0]?.evidence).toBe(`image: ${image} (registry ${registry})`);
  });

  it("distrusts references it cannot parse", () => {
    expect(run(trustedRegistries, one("ghcr.io/Acme/API"), trusting("ghcr.io"))[0]?.message).toContain("invalid image reference");
  });

  it("judges every container kind, under CronJob nesting", () => {
    const v = run(
      trustedRegistries,
      cronJob({ containers: [{ name: "a", image: "ghcr.io/acme/a:1" }], initContainers: [{ name: "i", image: "busybox:1" }], ephemeralContainers: [{ name: "e", image: "evil.io/x:1" }] }),
      trusting("ghcr.io"),
    );
    expect(where(v)).toEqual([
      ["i", "spec.jobTemplate.spec.template.spec.initContainers[0].image"],
      ["e", "spec.jobTemplate.spec.template.spec.ephemeralContainers[0].image"],
    ]);
  });

  it("sees a changed allowlist (a new settings array) at once", () => {
    expect(run(trustedRegistries, one("quay.io/a:1"), trusting("ghcr.io"))).toHaveLength(1);
    expect(run(trustedRegistries, one("quay.io/a:1"), trusting("ghcr.io", "quay.io"))).toEqual([]);
  });
});
