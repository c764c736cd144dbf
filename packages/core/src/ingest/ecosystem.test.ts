import { describe, expect, it } from "vitest";
import { ecosystemFromPurl, ecosystemFromTrivyType, osEcosystem, packageNameFromPurl, packageVersionFromPurl, parsePurl, splitDistro } from "./ecosystem.ts";

function purl(s: string) {
  const p = parsePurl(s);
  if (!p) throw new Error(`bad purl ${s}`);
  return p;
}

describe("ecosystemFromPurl", () => {
  it.each([
    ["pkg:apk/alpine/busybox@1.36.1-r2?distro=3.18.4", "Alpine:v3.18"],
    ["pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2", "Alpine:v3.10"],
    ["pkg:deb/debian/bash@5.2.15-2?distro=debian-12", "Debian:12"],
    ["pkg:deb/debian/bash@5.0-4?arch=amd64&distro=debian-10.1", "Debian:10"],
    ["pkg:deb/ubuntu/bash@5.1-6?distro=ubuntu-22.04", "Ubuntu:22.04"],
    ["pkg:rpm/centos/bash@4.2.46-31.el7?arch=x86_64&distro=centos-7.6.1810", "Red Hat"],
    ["pkg:rpm/centos/bash@4.2.46?distro=centos-7", "Red Hat"],
    ["pkg:rpm/redhat/openssl@3.0.7-1.el9?distro=redhat-9.2", "Red Hat"],
    ["pkg:rpm/rocky/openssl@3.0.7?distro=rocky-9.2", "Rocky Linux:9"],
    ["pkg:deb/debian/bash@5.2?distro=bookworm", "Debian"],
    ["pkg:apk/alpine/musl@1.2.4", "Alpine"],
    ["pkg:npm/%40babel/core@7.0.0", "npm"],
    ["pkg:pypi/django@4.2", "PyPI"],
    ["pkg:golang/github.com/gin-gonic/gin@v1.9.1", "Go"],
    ["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven"],
    ["pkg:gem/rails@7.0.0", "RubyGems"],
    ["pkg:cargo/serde@1.0.0", "crates.io"],
    ["pkg:nuget/Newtonsoft.Json@13.0.1", "NuGet"],
    ["pkg:composer/laravel/framework@10.0.0", "Packagist"],
    ["pkg:oci/alpine@sha256%3Aabc", "oci"],
  ])("%s → %s", (p, expected) => {
    expect(ecosystemFromPurl(purl(p))).toBe(expected);
  });
});

describe("names and versions", () => {
  it("spells names the way OSV does", () => {
    expect(packageNameFromPurl(purl("pkg:npm/%40babel/core@7.0.0"))).toBe("@babel/core");
    expect(packageNameFromPurl(purl("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"))).toBe("org.apache.logging.log4j:log4j-core");
    expect(packageNameFromPurl(purl("pkg:golang/github.com/gin-gonic/gin@v1.9.1"))).toBe("github.com/gin-gonic/gin");
    expect(packageNameFromPurl(purl("pkg:deb/debian/bash@5.0-4"))).toBe("bash");
  });

  it("prefixes a non-zero rpm epoch", () => {
    expect(packageVersionFromPurl(purl("pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?epoch=1"))).toBe("1:1.0.2k-16.el7");
    expect(packageVersionFromPurl(purl("pkg:rpm/centos/bash@4.2.46?epoch=0"))).toBe("4.2.46");
    expect(packageVersionFromPurl(purl("pkg:npm/a@1.0.0?epoch=1"))).toBe("1.0.0");
    expect(packageVersionFromPurl(purl("pkg:npm/a"))).toBeNull();
  });

  it("returns null for unparseable purls instead of throwing", () => {
    expect(parsePurl("not a purl")).toBeNull();
    expect(parsePurl("pkg:")).toBeNull();
  });
});

describe("distro helpers", () => {
  it("splits distro qualifiers", () => {
    expect(splitDistro("centos-7.6.1810")).toEqual({ family: "centos", release: "7.6.1810" });
    expect(splitDistro("debian-12")).toEqual({ family: "debian", release: "12" });
    expect(splitDistro("3.18.4")).toEqual({ family: null, release: "3.18.4" });
    expect(splitDistro("bookworm")).toEqual({ family: null, release: "bookworm" });
  });

  it("maps OS families and releases", () => {
    expect(osEcosystem("alpine", "3.10.2")).toBe("Alpine:v3.10");
    expect(osEcosystem("debian", "10.1")).toBe("Debian:10");
    expect(osEcosystem("ubuntu", "20.04")).toBe("Ubuntu:20.04");
    expect(osEcosystem("centos", "7.6.1810")).toBe("Red Hat");
    expect(osEcosystem("redhat", null)).toBe("Red Hat");
    expect(osEcosystem("almalinux", "8.9")).toBe("AlmaLinux:8");
    expect(osEcosystem("wolfi", "20230201")).toBe("Wolfi");
  });

  it("maps Trivy result types for packages without a purl", () => {
    expect(ecosystemFromTrivyType("alpine", { family: "alpine", name: "3.18.4" })).toBe("Alpine:v3.18");
    expect(ecosystemFromTrivyType("npm", null)).toBe("npm");
    expect(ecosystemFromTrivyType("jar", { family: "debian", name: "12" })).toBe("Maven");
    expect(ecosystemFromTrivyType("gobinary", null)).toBe("Go");
    expect(ecosystemFromTrivyType(null, { family: "debian", name: "12.1" })).toBe("Debian:12");
    expect(ecosystemFromTrivyType(null, null)).toBe("unknown");
  });
});
