import { describe, expect, it } from "vitest";
import { buildCreateInput, buildUpdateInput, emptyForm, fieldOf, formFromChannel, parseHeaders, splitList } from "./form-model.ts";

describe("channel form model", () => {
  it("builds a create body per type, leaving out blank optional fields", () => {
    const webhook = { ...emptyForm(), name: "siem", url: " https://x.example/hook ", headers: "Authorization: Bearer a:b\n\nX-Team: sec", minSeverity: "HIGH", types: ["RUNTIME"], clusters: "prod-eu, prod-us\n" };
    expect(buildCreateInput(webhook)).toEqual({
      type: "WEBHOOK",
      name: "siem",
      enabled: true,
      config: { url: "https://x.example/hook", headers: { Authorization: "Bearer a:b", "X-Team": "sec" } },
      routing: { minSeverity: "HIGH", types: ["RUNTIME"], clusters: ["prod-eu", "prod-us"], policies: [] },
    });
    const email = { ...emptyForm(), type: "EMAIL" as const, name: "mail", host: "smtp.example.com", port: "465", security: "tls" as const, from: "b@example.com", to: "a@example.com, c@example.com" };
    expect(buildCreateInput(email).config).toEqual({ host: "smtp.example.com", port: "465", security: "tls", from: "b@example.com", to: ["a@example.com", "c@example.com"] });
    expect(buildCreateInput({ ...emptyForm(), type: "SLACK", webhookUrl: "https://hooks.slack.com/x" }).config).toEqual({ webhookUrl: "https://hooks.slack.com/x" });
  });

  it("an edit keeps blank secrets, can regenerate, clear headers or the password", () => {
    const stored = { id: "c1", name: "siem", type: "WEBHOOK" as const, enabled: false, config: { url: "https://x.example/…", headerNames: ["Authorization"] }, routing: { minSeverity: "LOW", types: ["RUNTIME"] } };
    const form = formFromChannel(stored);
    expect(form).toMatchObject({ name: "siem", enabled: false, url: "", secret: "", minSeverity: "LOW", types: ["RUNTIME"] });
    expect(buildUpdateInput(form)).toEqual({ name: "siem", enabled: false, routing: { minSeverity: "LOW", types: ["RUNTIME"], clusters: [], policies: [] } });
    expect(buildUpdateInput({ ...form, regenerateSecret: true, secret: "ignored-when-regenerating", clearHeaders: true }).config).toEqual({ regenerateSecret: true, headers: {} });
    const mail = formFromChannel({ id: "c2", name: "m", type: "EMAIL", enabled: true, config: { host: "h", port: 25, security: "none", from: "f@x.io", to: ["a@x.io", "b@x.io"], username: "u", hasPassword: true }, routing: {} });
    expect(mail).toMatchObject({ host: "h", port: "25", security: "none", to: "a@x.io\nb@x.io", username: "u", password: "" });
    expect(buildUpdateInput(mail).config).toEqual({ host: "h", port: "25", security: "none", from: "f@x.io", to: ["a@x.io", "b@x.io"], username: "u" });
    expect(buildUpdateInput({ ...mail, username: "", clearPassword: true }).config).toMatchObject({ username: null, password: null });
  });

  it("parses lists and headers, and maps API error paths to form fields", () => {
    expect(splitList(" a,\nb ,, ")).toEqual(["a", "b"]);
    expect(parseHeaders("no colon here\nX-A: 1")).toEqual({ "no colon here": "", "X-A": "1" });
    expect(fieldOf("config.url")).toBe("url");
    expect(fieldOf("config.headers.Bad Header")).toBe("headers");
    expect(fieldOf("config.to.3")).toBe("to");
    expect(fieldOf("routing.types.1")).toBe("types");
    expect(fieldOf("config.regenerateSecret")).toBe("secret");
    expect(fieldOf("name")).toBe("name");
    expect(fieldOf("config")).toBeNull();
    expect(fieldOf("type")).toBeNull();
  });
});
