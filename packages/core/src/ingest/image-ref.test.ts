import { describe, expect, it } from "vitest";
import { ImageRefError, isSha256Digest, parseImageId, parseImageRef, tryParseImageRef } from "./image-ref.ts";

const D = "sha256:" + "a".repeat(64);
const D2 = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

describe("parseImageRef", () => {
  it.each([
    ["nginx", "docker.io", "library/nginx", "latest", null],
    ["nginx:1.25", "docker.io", "library/nginx", "1.25", null],
    ["library/nginx", "docker.io", "library/nginx", "latest", null],
    ["bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", null],
    ["docker.io/nginx", "docker.io", "library/nginx", "latest", null],
    ["index.docker.io/nginx:alpine", "docker.io", "library/nginx", "alpine", null],
    ["docker.io/library/nginx:1.25.3-alpine", "docker.io", "library/nginx", "1.25.3-alpine", null],
    [`ghcr.io/acme/api:1.2@${D}`, "ghcr.io", "acme/api", "1.2", D],
    [`ghcr.io/acme/api@${D}`, "ghcr.io", "acme/api", null, D],
    [`nginx@${D}`, "docker.io", "library/nginx", null, D],
    ["localhost:5000/x", "localhost:5000", "x", "latest", null],
    ["localhost/x:dev", "localhost", "x", "dev", null],
    ["localhost:5000/team/x:v1", "localhost:5000", "team/x", "v1", null],
    [`registry.k8s.io/ingress-nginx/controller:v1.9.4@${D2}`, "registry.k8s.io", "ingress-nginx/controller", "v1.9.4", D2],
    ["quay.io/prometheus/node-exporter:v1.7.0", "quay.io", "prometheus/node-exporter", "v1.7.0", null],
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:2024.01.15", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "payments/api", "2024.01.15", null],
    ["myregistry.azurecr.io/a/b/c/d:tag_1", "myregistry.azurecr.io", "a/b/c/d", "tag_1", null],
    ["10.0.0.5:5000/app", "10.0.0.5:5000", "app", "latest", null],
    ["[::1]:5000/app:v2", "[::1]:5000", "app", "v2", null],
    ["Registry.Example.COM/app", "Registry.Example.COM", "app", "latest", null],
    ["gcr.io/distroless/static-debian12:nonroot", "gcr.io", "distroless/static-debian12", "nonroot", null],
    ["my_org/my__app-x.y", "docker.io", "my_org/my__app-x.y", "latest", null],
    ["a/b---c", "docker.io", "a/b---c", "latest", null],
    ["localhost:5000", "docker.io", "library/localhost", "5000", null],
    ["example.com/app:V1_RC", "example.com", "app", "V1_RC", null],
    // Docker reads an upper-case first component as a registry host, not as a (forbidden) repository.
    ["Foo/bar", "Foo", "bar", "latest", null],
  ])("%s", (input, registryHost, repository, tag, digest) => {
    const ref = parseImageRef(input);
    expect(ref).toMatchObject({ registryHost, repository, tag, digest });
    expect(ref.name).toBe(`${registryHost}/${repository}`);
  });

  it("builds a canonical form that parses back to itself", () => {
    for (const input of ["nginx", `ghcr.io/acme/api:1.2@${D}`, `alpine@${D}`, "localhost:5000/x:y"]) {
      const ref = parseImageRef(input);
      expect(parseImageRef(ref.canonical)).toEqual(ref);
    }
    expect(parseImageRef("nginx").canonical).toBe("docker.io/library/nginx:latest");
    expect(parseImageRef(`nginx@${D}`).canonical).toBe(`docker.io/library/nginx@${D}`);
  });

  it("accepts sha384 and sha512 digests of the right length", () => {
    expect(parseImageRef(`x@sha384:${"b".repeat(96)}`).digest).toBe(`sha384:${"b".repeat(96)}`);
    expect(parseImageRef(`x@sha512:${"c".repeat(128)}`).digest).toBe(`sha512:${"c".repeat(128)}`);
  });

  it.each([
    ["", "empty"],
    [" nginx", "whitespace"],
    ["nginx ", "whitespace"],
    ["Nginx", "lowercase"],
    ["acme/API", "lowercase"],
    ["ghcr.io/Acme/api", "lowercase"],
    ["nginx:", "invalid tag"],
    ["nginx:-bad", "invalid tag"],
    [`nginx:${"t".repeat(129)}`, "invalid tag"],
    ["nginx:a/b", "lowercase|invalid"],
    ["nginx@", "invalid digest"],
    ["nginx@sha256:abc", "invalid digest"],
    [`nginx@sha256:${"A".repeat(64)}`, "lower-case"],
    [`nginx@sha256:${"a".repeat(65)}`, "lower-case"],
    [`nginx@md5:${"a".repeat(32)}`, "unsupported"],
    [`nginx@${D}@${D}`, "invalid digest"],
    ["/nginx", "invalid repository"],
    ["nginx/", "invalid repository"],
    ["a//b", "invalid repository"],
    ["-a/b", "invalid repository"],
    ["a/_b", "invalid repository"],
    ["a/b_", "invalid repository"],
    ["a/b___c", "invalid repository"],
    ["ghcr.io/", "invalid repository"],
    [":tag", "missing repository"],
    [`acme/${"b".repeat(260)}`, "too long"],
    ["-bad.example.com/app", "invalid registry host"],
    ["bad_host.io/app", "invalid registry host"],
    ["a".repeat(64), "64-character hex"],
    ["https://ghcr.io/acme/api", "invalid"],
  ])("rejects %j (%s)", (input, reason) => {
    expect(() => parseImageRef(input)).toThrow(ImageRefError);
    expect(() => parseImageRef(input)).toThrow(new RegExp(reason));
    expect(tryParseImageRef(input)).toBeNull();
  });

  it("accepts a 64-hex name when it is not a Docker Hub official name", () => {
    expect(parseImageRef(`acme/${"a".repeat(64)}`).repository).toBe(`acme/${"a".repeat(64)}`);
  });

  it("truncates absurd inputs in the error message", () => {
    try {
      parseImageRef("X".repeat(100_000));
      throw new Error("expected failure");
    } catch (err) {
      expect(err).toBeInstanceOf(ImageRefError);
      expect((err as Error).message.length).toBeLessThan(400);
    }
  });
});

describe("parseImageId", () => {
  it("reads repo digests in every runtime's spelling", () => {
    expect(parseImageId(`docker-pullable://nginx@${D}`)).toMatchObject({ digest: D, kind: "repo", image: { name: "docker.io/library/nginx" } });
    expect(parseImageId(`docker.io/library/nginx@${D}`)).toMatchObject({ digest: D, kind: "repo", image: { repository: "library/nginx" } });
    expect(parseImageId(`registry.k8s.io/coredns/coredns@${D2}`)).toMatchObject({ digest: D2, kind: "repo", image: { registryHost: "registry.k8s.io" } });
    expect(parseImageId(`docker-pullable://ghcr.io/acme/api@${D2}`)?.image?.repository).toBe("acme/api");
  });

  it("reads local image IDs as such", () => {
    expect(parseImageId(D)).toEqual({ digest: D, kind: "local", image: null });
    expect(parseImageId(`docker://${D}`)).toEqual({ digest: D, kind: "local", image: null });
    expect(parseImageId("a".repeat(64))).toEqual({ digest: D, kind: "local", image: null });
  });

  it.each(["", "nginx:1.25", "docker://", "sha256:xyz", "docker-pullable://Nginx@sha256:abc", "x".repeat(2000)])(
    "answers null for %j",
    (input) => {
      expect(parseImageId(input)).toBeNull();
    },
  );

  it("recognises sha256 digests", () => {
    expect(isSha256Digest(D)).toBe(true);
    expect(isSha256Digest(D.toUpperCase())).toBe(false);
    expect(isSha256Digest("sha256:abc")).toBe(false);
  });
});
