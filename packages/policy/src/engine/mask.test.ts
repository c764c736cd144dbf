import { describe, expect, it } from "vitest";
import { isSecretName, maskSecret, maskSecretsIn } from "./mask.ts";

describe("maskSecret", () => {
  it("reveals nothing of short values and a 4-character prefix of long ones, at a fixed width", () => {
    expect(maskSecret("hunter2")).toBe("********");
    expect(maskSecret("")).toBe("********");
    expect(maskSecret("AKIAIOSFODNN7EXAMPLE")).toBe("AKIA********");
    expect(maskSecret("a".repeat(500))).toBe("aaaa********");
  });
});

describe("maskSecretsIn", () => {
  it("masks known token shapes anywhere in the text", () => {
    const ghp = `ghp_${"A1b2C3d4E5".repeat(4)}`;
    expect(maskSecretsIn(`token ${ghp} leaked`)).toBe("token ghp_******** leaked");
    expect(maskSecretsIn("key AKIAIOSFODNN7EXAMPLE")).toBe("key AKIA********");
    expect(maskSecretsIn("jwt eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4f")).toBe("jwt eyJh********");
    expect(maskSecretsIn("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")).toBe("----********");
  });

  it("masks values after secret-sounding keys and passwords in URLs", () => {
    expect(maskSecretsIn("DB_PASSWORD=hunter2")).toBe("DB_PASSWORD=********");
    expect(maskSecretsIn('"api_key": "abc123def456ghi"')).toBe('"api_key": "abc1********"');
    expect(maskSecretsIn("url: postgres://app:s3cr3t@db:5432/app")).toBe("url: postgres://app:********@db:5432/app");
  });

  it("leaves ordinary evidence and already masked values alone", () => {
    for (const text of ["privileged: true", "image: ghcr.io/acme/api:1.2", "hostPath.path: /var/run/docker.sock", "DB_PASSWORD=supe********", "author: bob", "tokens: 3"]) {
      expect(maskSecretsIn(text)).toBe(text);
    }
  });
});

describe("isSecretName", () => {
  it("recognizes secret-like names in any case style", () => {
    for (const n of ["DB_PASSWORD", "apiKey", "GITHUB_TOKEN", "client-secret", "aws.secret.access.key", "passwd"]) expect(isSecretName(n)).toBe(true);
    for (const n of ["LOG_LEVEL", "PORT", "author", "tokens"]) expect(isSecretName(n)).toBe(false);
  });
});
