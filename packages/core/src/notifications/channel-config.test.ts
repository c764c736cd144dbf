import { describe, expect, it } from "vitest";
import { createChannelSchema, generateSigningSecret, maskUrl, splitEmail, splitWebhook } from "./channel-config.ts";

describe("channel config", () => {
  it("masks URLs down to scheme and host", () => {
    expect(maskUrl("https://hooks.slack.com/services/T000/B000/XXXXSECRET")).toBe("https://hooks.slack.com/…");
    expect(maskUrl("http://127.0.0.1:8080/?token=abc")).toBe("http://127.0.0.1:8080/…");
    expect(maskUrl("https://example.com")).toBe("https://example.com/");
  });

  it("splits secrets from what may be shown", () => {
    const w = splitWebhook({ url: "https://x.example/hook?t=1", headers: { Authorization: "Bearer abc" } }, "whsec_1234567890abcdef");
    expect(w.config).toEqual({ url: "https://x.example/…", headerNames: ["Authorization"] });
    expect(JSON.stringify(w.config)).not.toContain("abc");
    expect(w.secrets).toEqual({ url: "https://x.example/hook?t=1", secret: "whsec_1234567890abcdef", headers: { Authorization: "Bearer abc" } });
    const e = splitEmail({ host: "smtp.example.com", port: 587, security: "starttls", from: "b@example.com", to: ["a@example.com", "a@example.com"], username: "u", password: "p" });
    expect(e.config).toEqual({ host: "smtp.example.com", port: 587, security: "starttls", from: "b@example.com", to: ["a@example.com"], username: "u", hasPassword: true });
    expect(e.secrets).toEqual({ password: "p" });
    expect(generateSigningSecret()).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
  });

  it("validates per type with field paths", () => {
    const bad = createChannelSchema.safeParse({ type: "WEBHOOK", name: "", config: { url: "ftp://x", secret: "short", headers: { "X-Bulwark-Signature": "x", "Bad Header": "v" } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join(".")).sort()).toEqual(["config.headers.Bad Header", "config.headers.X-Bulwark-Signature", "config.secret", "config.url", "name"]);
    const email = createChannelSchema.safeParse({
      type: "EMAIL",
      name: "ops",
      config: { host: "smtp.example.com", port: 70000, security: "ssl", from: "nope", to: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`) },
    });
    expect(email.error!.issues.map((i) => i.path.join(".")).sort()).toEqual(["config.from", "config.port", "config.security", "config.to"]);
    expect(createChannelSchema.safeParse({ type: "PAGER", name: "x", config: {} }).error!.issues[0]!.path).toEqual(["type"]);
    const ok = createChannelSchema.parse({ type: "SLACK", name: " chat ", config: { webhookUrl: "https://hooks.slack.com/services/a" } });
    expect(ok).toEqual({ type: "SLACK", name: "chat", config: { webhookUrl: "https://hooks.slack.com/services/a" }, routing: {}, enabled: true });
  });
});
