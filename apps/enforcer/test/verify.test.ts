import { describe, expect, it } from "vitest";
import { parseEnforcerEnv } from "../src/env.ts";
import { bundleEtag, keyIdOf, parsePublicKey, verifyBundle } from "../src/verify.ts";
import { bundleContent, builtinDefinitions, ORG_ID, signBundle, signingKey } from "./helpers.ts";

// Verification of signed bundles exactly as central signs them, and the configuration that pins the key.

describe("verifyBundle", () => {
  const key = signingKey();
  const good = signBundle(key, 3);

  it("accepts a bundle signed by the pinned key, for the pinned organization", () => {
    expect(verifyBundle(good, key.publicKey)).toEqual({ ok: true, bundle: good });
    expect(verifyBundle(good, key.publicKey, ORG_ID).ok).toBe(true);
    expect(bundleEtag(good)).toBe(`"3-${good.contentHash.slice(7, 23)}"`);
  });

  it("rejects a changed signature, changed content, a changed hash, another key and another organization", () => {
    const flip = (s: string) => Buffer.from(Buffer.from(s, "base64").map((b, i) => (i === 5 ? b ^ 1 : b))).toString("base64");
    const cases: Array<[string, unknown, RegExp, string?]> = [
      ["signature", { ...good, signature: flip(good.signature) }, /bad signature/],
      ["content", { ...good, content: { ...good.content, policies: builtinDefinitions({ "no-privileged": { enforcement: "AUDIT" } }) } }, /does not match its contentHash/],
      [
        "content and hash",
        (() => {
          const other = signBundle(key, 3, bundleContent(builtinDefinitions({ "no-privileged": { enforcement: "AUDIT" } })));
          return { ...good, content: other.content, contentHash: other.contentHash };
        })(),
        /bad signature/,
      ],
      ["version", { ...good, version: 4 }, /bad signature/],
      ["keyId", { ...good, keyId: "ed25519-0000000000000000" }, /signed by key ed25519-0000000000000000/],
      ["other key", signBundle(signingKey(), 3), /signed by key .* but the configured public key is/],
      ["organization", signBundle(key, 3, bundleContent(undefined, { orgId: "org_other" })), /for organization org_other, not org_test_acme/, ORG_ID],
      ["shape", { ...good, version: "3" }, /not a bundle \(version:/],
      ["hash format", { ...good, contentHash: "md5:abc" }, /not a bundle \(contentHash:/],
      ["nothing", null, /not a bundle/],
    ];
    for (const [what, raw, reason, org] of cases) {
      const v = verifyBundle(raw, key.publicKey, org);
      expect(v.ok, what).toBe(false);
      if (!v.ok) expect(v.reason, what).toMatch(reason);
    }
  });

  it("verifies the JSON as received, whatever its key order", () => {
    const reverse = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const reordered = JSON.parse(JSON.stringify({ ...reverse(good), content: reverse(good.content) })) as unknown;
    expect(Object.keys(reordered as object)[0]).toBe("signature");
    expect(verifyBundle(reordered, key.publicKey).ok).toBe(true);
  });
});

describe("public key and configuration", () => {
  const key = signingKey();
  const pem = key.publicKey.export({ format: "pem", type: "spki" }).toString();
  const raw = Buffer.from(key.publicKey.export({ format: "jwk" }).x!, "base64url").toString("base64");
  const base = { BULWARK_URL: "https://bulwark.example.com/", BULWARK_TOKEN: "bwk_x", BULWARK_PUBLIC_KEY: raw, CLUSTER_NAME: "prod-eu-1", TLS_CERT_FILE: "/tls/tls.crt", TLS_KEY_FILE: "/tls/tls.key" };

  it("takes the key as PEM or as base64 raw bytes, and refuses other keys", () => {
    expect(keyIdOf(parsePublicKey(pem))).toBe(key.keyId);
    expect(keyIdOf(parsePublicKey(raw))).toBe(key.keyId);
    expect(() => parsePublicKey("AAAA")).toThrow(/32 raw key bytes/);
    expect(() => parsePublicKey(`${raw}!`)).toThrow();
  });

  it("validates the environment once, with defaults and secrets from files", () => {
    const c = parseEnforcerEnv(base);
    expect(c).toMatchObject({ bulwarkUrl: "https://bulwark.example.com", token: "bwk_x", clusterName: "prod-eu-1", enforcerName: "prod-eu-1-enforcer", failurePolicy: "Fail", port: 8443, tls: { certFile: "/tls/tls.crt" }, breakGlassMaxHours: 24, excludedNamespaces: ["kube-system", "bulwark-system"] });
    const files: Record<string, string> = { "/s/token": "bwk_file\n", "/s/key": pem };
    const fromFiles = parseEnforcerEnv({ ...base, BULWARK_TOKEN: undefined, BULWARK_TOKEN_FILE: "/s/token", BULWARK_PUBLIC_KEY: "", BULWARK_PUBLIC_KEY_FILE: "/s/key", FAILURE_POLICY: "ignore", EXCLUDED_NAMESPACES: "kube-system, monitoring", INSECURE_HTTP: "true", TLS_CERT_FILE: "" }, (p) => {
      if (!(p in files)) throw Object.assign(new Error("nope"), { code: "ENOENT" });
      return files[p]!;
    });
    expect(fromFiles).toMatchObject({ token: "bwk_file", failurePolicy: "Ignore", excludedNamespaces: ["kube-system", "monitoring"], tls: null });
    expect(keyIdOf(fromFiles.publicKey)).toBe(key.keyId);
  });

  it("names every wrong variable", () => {
    const problems = (env: Record<string, string | undefined>) => {
      try {
        parseEnforcerEnv(env, () => {
          throw Object.assign(new Error("x"), { code: "ENOENT" });
        });
        return [];
      } catch (err) {
        return (err as { problems: { variable: string; message: string }[] }).problems;
      }
    };
    const vars = problems({ BULWARK_URL: "ftp://x", FAILURE_POLICY: "Maybe", PORT: "99999", CLUSTER_NAME: "bad name", EXCLUDED_NAMESPACES: "Kube_System" }).map((p) => p.variable);
    expect(vars).toEqual(expect.arrayContaining(["BULWARK_URL", "FAILURE_POLICY", "PORT", "CLUSTER_NAME", "EXCLUDED_NAMESPACES.0", "BULWARK_TOKEN", "BULWARK_PUBLIC_KEY", "TLS_CERT_FILE"]));
    expect(problems({ ...base, CLUSTER_NAME: undefined })[0]).toMatchObject({ variable: "CLUSTER_NAME", message: expect.stringMatching(/is required/) });
    expect(problems({ ...base, BULWARK_PUBLIC_KEY: "c2hvcnQ=" })[0]).toMatchObject({ variable: "BULWARK_PUBLIC_KEY", message: expect.stringMatching(/not an Ed25519 public key/) });
    expect(problems({ ...base, BULWARK_TOKEN: undefined, BULWARK_TOKEN_FILE: "/missing" })[0]).toMatchObject({ variable: "BULWARK_TOKEN_FILE", message: expect.stringMatching(/cannot be read \(ENOENT/) });
  });
});
