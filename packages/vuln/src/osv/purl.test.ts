import { describe, expect, it } from "vitest";
import { packageFromPurl } from "./purl.ts";

describe("packageFromPurl", () => {
  it.each([
    ["pkg:npm/%40babel/core@7.0.0", "npm", "@babel/core"],
    ["pkg:npm/lodash", "npm", "lodash"],
    ["pkg:pypi/Django_Rest", "PyPI", "django-rest"],
    ["pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven", "org.apache.logging.log4j:log4j-core"],
    ["pkg:golang/github.com/gin-gonic/gin", "Go", "github.com/gin-gonic/gin"],
    ["pkg:composer/laravel/framework", "Packagist", "laravel/framework"],
    ["pkg:cargo/hyper", "crates.io", "hyper"],
    ["pkg:gem/rails", "RubyGems", "rails"],
    ["pkg:nuget/Newtonsoft.Json", "NuGet", "Newtonsoft.Json"],
    ["pkg:github/actions/checkout", "GitHub Actions", "actions/checkout"],
    ["pkg:apk/alpine/openssl?distro=alpine-3.18.4", "Alpine:v3.18", "openssl"],
    ["pkg:apk/alpine/openssl", "Alpine", "openssl"],
    ["pkg:deb/debian/nginx?distro=debian-12", "Debian:12", "nginx"],
    ["pkg:deb/ubuntu/openssl?distro=ubuntu-22.04", "Ubuntu:22.04", "openssl"],
    ["pkg:rpm/redhat/openssl?distro=rhel-8", "Red Hat", "openssl"],
  ])("%s → %s %s", (purl, ecosystem, name) => {
    expect(packageFromPurl(purl)).toEqual({ ecosystem, name });
  });

  it.each(["not-a-purl", "pkg:", "pkg:unknowntype/x", "pkg:deb/unknowndistro/x", "pkg:alpine/mariadb"])(
    "returns null for %s",
    (purl) => {
      expect(packageFromPurl(purl)).toBeNull();
    },
  );
});
