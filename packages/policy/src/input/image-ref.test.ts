import { describe, expect, it } from "vitest";
import { imageName, parseImageRef } from "./image-ref.ts";

const D = "sha256:" + "a".repeat(64);

describe("parseImageRef", () => {
  it.each([
    ["nginx", { registry: "docker.io", repository: "library/nginx" }],
    ["nginx:1.27", { registry: "docker.io", repository: "library/nginx", tag: "1.27" }],
    ["docker.io/nginx", { registry: "docker.io", repository: "library/nginx" }],
    ["index.docker.io/library/nginx:latest", { registry: "docker.io", repository: "library/nginx", tag: "latest" }],
    ["acme/api", { registry: "docker.io", repository: "acme/api" }],
    ["acme/team/api:v2", { registry: "docker.io", repository: "acme/team/api", tag: "v2" }],
    ["ghcr.io/acme/api", { registry: "ghcr.io", repository: "acme/api" }],
    ["ghcr.io/api", { registry: "ghcr.io", repository: "api" }],
    ["localhost/api", { registry: "localhost", repository: "api" }],
    ["localhost:5000/api:dev", { registry: "localhost:5000", repository: "api", tag: "dev" }],
    ["registry.acme.internal:5000/team/api", { registry: "registry.acme.internal:5000", repository: "team/api" }],
    ["myhost:5000/api", { registry: "myhost:5000", repository: "api" }],
    ["Registry/api", { registry: "Registry", repository: "api" }],
    ["[::1]:5000/api", { registry: "[::1]:5000", repository: "api" }],
    [`ghcr.io/acme/api@${D}`, { registry: "ghcr.io", repository: "acme/api", digest: D }],
    [`nginx:1.27@${D}`, { registry: "docker.io", repository: "library/nginx", tag: "1.27", digest: D }],
    ["a-b.c-d/x", { registry: "a-b.c-d", repository: "x" }],
    ["acme/a_b__c-d---e.f", { registry: "docker.io", repository: "acme/a_b__c-d---e.f" }],
    ["  nginx  ", { registry: "docker.io", repository: "library/nginx" }],
  ])("%s", (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });

  it("treats a first component without '.', ':' or upper case as a Docker Hub namespace", () => {
    // `ghcr/api` is a Docker Hub user `ghcr`, not a registry: the classic confusion allow-lists must get right.
    expect(parseImageRef("ghcr/api")?.registry).toBe("docker.io");
    expect(parseImageRef("localhostx/api")?.registry).toBe("docker.io");
  });

  it.each(["", " ", "NGINX", "nginx:", "nginx@sha256:abc", "nginx@", "ghcr.io/", "ghcr.io//api", "a b", "api:tag/with/slash?", "-nginx", "nginx-", "acme/API", "host:port/api", "a_b.c/x", ":tag", `x/${"a".repeat(260)}`, "nginx:-bad"])(
    "rejects %j",
    (ref) => {
      expect(parseImageRef(ref)).toBeUndefined();
    },
  );

  it("imageName joins registry and repository", () => {
    const ref = parseImageRef("nginx:1");
    expect(ref && imageName(ref)).toBe("docker.io/library/nginx");
  });
});
