import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.ts";

const base = {
  DATABASE_URL: "postgresql://bulwark@127.0.0.1:54329/bulwark",
  REDIS_URL: "redis://127.0.0.1:63799/0",
  NEXTAUTH_URL: "http://localhost:3000",
  NEXTAUTH_SECRET: "x".repeat(32),
};

describe("parseEnv", () => {
  it("applies defaults", () => {
    const e = parseEnv(base);
    expect(e.BULWARK_MAX_BODY_BYTES).toBe(10_485_760);
    expect(e.LOG_LEVEL).toBe("info");
    expect(e.oidc).toBeNull();
  });

  it("lists every bad or missing variable in one error", () => {
    let err: unknown;
    try {
      parseEnv({ DATABASE_URL: "mysql://x", BULWARK_MAX_BODY_BYTES: "lots" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvError);
    const msg = (err as EnvError).message;
    for (const v of ["DATABASE_URL", "REDIS_URL", "NEXTAUTH_URL", "NEXTAUTH_SECRET", "BULWARK_MAX_BODY_BYTES"]) expect(msg).toContain(v);
  });

  it("requires a 32-character secret in production only", () => {
    expect(() => parseEnv({ ...base, NODE_ENV: "production", NEXTAUTH_SECRET: "short" })).toThrow(/NEXTAUTH_SECRET must be at least 32 characters/);
    expect(parseEnv({ ...base, NODE_ENV: "development", NEXTAUTH_SECRET: "short" }).NEXTAUTH_SECRET).toBe("short");
  });

  it("encrypts the signing key under BULWARK_KEY_SECRET, else NEXTAUTH_SECRET", () => {
    expect(parseEnv(base).keySecret).toBe(base.NEXTAUTH_SECRET);
    expect(parseEnv({ ...base, BULWARK_KEY_SECRET: "" }).keySecret).toBe(base.NEXTAUTH_SECRET);
    expect(parseEnv({ ...base, BULWARK_KEY_SECRET: "k".repeat(32) }).keySecret).toBe("k".repeat(32));
    expect(() => parseEnv({ ...base, NODE_ENV: "production", BULWARK_KEY_SECRET: "short" })).toThrow(/BULWARK_KEY_SECRET must be at least 32 characters/);
  });

  it("turns OIDC on only when issuer, client id and secret are all set", () => {
    expect(parseEnv({ ...base, OIDC_ISSUER: "https://id.example.com/realms/acme/", OIDC_CLIENT_ID: "bulwark" }).oidc).toBeNull();
    const on = parseEnv({ ...base, OIDC_ISSUER: "https://id.example.com/realms/acme/", OIDC_CLIENT_ID: "bulwark", OIDC_CLIENT_SECRET: "s" });
    expect(on.oidc).toEqual({ issuer: "https://id.example.com/realms/acme", clientId: "bulwark", clientSecret: "s", name: "Single sign-on" });
  });
});
