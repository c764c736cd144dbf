import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type AlertPayload } from "./payload.ts";
import { renderEmail, renderSlack, renderWebhook, signWebhook, verifyWebhookSignature } from "./render.ts";

const payload: AlertPayload = {
  version: 1,
  kind: "alert",
  reason: "created",
  organization: { slug: "acme", name: "Acme <Corp>" },
  finding: {
    id: "f1",
    type: "RUNTIME",
    severity: "CRITICAL",
    status: "OPEN",
    title: "Terminal shell in container (shop/web)\r\nBcc: evil@example.com",
    rule: "Terminal shell in container",
    source: "falco",
    cluster: "prod-eu",
    namespace: "shop",
    workload: { kind: "Deployment", name: "web" },
    image: "docker.io/library/nginx@sha256:abc",
    mitre: ["T1059"],
    occurrences: 50,
    firstSeen: "2026-11-29T10:00:00.000Z",
    lastSeen: "2026-11-29T10:05:00.000Z",
    url: "https://bulwark.example/findings/f1",
  },
};
const now = new Date("2026-11-29T10:06:00.000Z");

describe("webhook rendering", () => {
  it("signs '<timestamp>.<body>' with HMAC-SHA256 and names the delivery", () => {
    const req = renderWebhook(payload, "d1", "whsec_test_secret_123456", now, { Authorization: "Bearer t" });
    const ts = req.headers["X-Bulwark-Timestamp"]!;
    expect(ts).toBe(String(now.getTime() / 1000));
    expect(req.headers["X-Bulwark-Delivery"]).toBe("d1");
    expect(req.headers.Authorization).toBe("Bearer t");
    const expected = createHmac("sha256", "whsec_test_secret_123456").update(`${ts}.${req.body}`).digest("hex");
    expect(req.headers["X-Bulwark-Signature"]).toBe(`sha256=${expected}`);
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(body).toMatchObject({ version: 1, kind: "alert", reason: "created", deliveryId: "d1", sentAt: now.toISOString(), finding: { id: "f1", mitre: ["T1059"], occurrences: 50 } });
  });

  it("verification accepts the signature, refuses a changed body, another secret and an old timestamp", () => {
    const req = renderWebhook(payload, "d1", "s3cret-s3cret-s3cret", now);
    const ts = req.headers["X-Bulwark-Timestamp"]!;
    const sig = req.headers["X-Bulwark-Signature"]!;
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", ts, req.body, sig, now.getTime())).toBe(true);
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", ts, `${req.body} `, sig, now.getTime())).toBe(false);
    expect(verifyWebhookSignature("another-secret-value", ts, req.body, sig, now.getTime())).toBe(false);
    expect(verifyWebhookSignature("s3cret-s3cret-s3cret", ts, req.body, sig, now.getTime() + 10 * 60_000)).toBe(false);
    expect(signWebhook("k", "1", "{}")).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

describe("Slack rendering", () => {
  it("has a text fallback, escaped mrkdwn, severity fields and the dashboard link", () => {
    const msg = renderSlack({ ...payload, finding: { ...payload.finding, title: "a <b> & c" } });
    expect(msg.text).toBe("[Bulwark] CRITICAL a <b> & c — prod-eu / shop / Deployment web");
    const [head, fields, context] = msg.blocks as Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: Array<{ text: string }> }>;
    expect(head!.type).toBe("section");
    expect(head!.text!.text).toBe("*New critical alert* · <https://bulwark.example/findings/f1|a &lt;b&gt; &amp; c>");
    expect(fields!.fields!.map((f) => f.text.split("\n")[0])).toEqual(["*Severity*", "*Type*", "*Rule*", "*Where*", "*Image*", "*Occurrences*", "*MITRE ATT&CK*"]);
    expect(context!.type).toBe("context");
    expect(context!.elements![0]!.text).toContain("Acme &lt;Corp&gt;");
  });

  it("without a dashboard URL the title is plain text", () => {
    const msg = renderSlack({ ...payload, finding: { ...payload.finding, url: null, title: "t" } });
    expect((msg.blocks[0] as { text: { text: string } }).text.text).toBe("*New critical alert* · t");
  });
});

describe("vulnerability alerts", () => {
  const vuln: AlertPayload = {
    ...payload,
    finding: {
      ...payload.finding,
      type: "VULNERABILITY",
      title: "CVE-2024-6119 in openssl",
      rule: "CVE-2024-6119",
      source: "bulwark",
      workload: null,
      package: { name: "openssl", version: "3.0.7-r0", fixedVersion: "3.0.15-r0" },
      cvss: 9.8,
      mitre: [],
      occurrences: 1,
    },
  };

  it("name the installed package, the fixing version and the CVSS score on Slack and in mail", () => {
    const fields = (renderSlack(vuln).blocks[1] as { fields: Array<{ text: string }> }).fields.map((f) => f.text);
    expect(fields).toContain("*Package*\nopenssl 3.0.7-r0 → fixed in 3.0.15-r0");
    expect(fields).toContain("*CVSS*\n9.8");
    const mail = renderEmail(vuln);
    expect(mail.text).toContain("Package: openssl 3.0.7-r0 → fixed in 3.0.15-r0");
    expect(mail.text).toContain("CVSS: 9.8");
  });

  it("say when there is no fix yet, and leave both out for runtime findings and for deliveries stored before they existed", () => {
    const unfixed = { ...vuln, finding: { ...vuln.finding, package: { name: "zlib", version: null, fixedVersion: null }, cvss: null } };
    expect(renderEmail(unfixed).text).toContain("Package: zlib (no fix yet)");
    expect(renderEmail(unfixed).text).not.toContain("CVSS");
    const { package: _p, cvss: _c, ...legacy } = vuln.finding;
    for (const f of [payload.finding, legacy]) {
      expect(renderEmail({ ...payload, finding: f }).text).not.toMatch(/Package|CVSS/);
      expect(JSON.stringify(renderSlack({ ...payload, finding: f }).blocks)).not.toMatch(/Package|CVSS/);
    }
  });
});

describe("email rendering", () => {
  it("subject is '[Bulwark] SEVERITY title' on one line; HTML is escaped", () => {
    const mail = renderEmail(payload);
    expect(mail.subject).toBe("[Bulwark] CRITICAL Terminal shell in container (shop/web) Bcc: evil@example.com");
    expect(mail.text).toContain("Occurrences: 50");
    expect(mail.text).toContain("Open in Bulwark: https://bulwark.example/findings/f1");
    expect(mail.html).toContain("Acme &lt;Corp&gt;");
    expect(mail.html).not.toContain("<Corp>");
    expect(mail.html).toContain('<a href="https://bulwark.example/findings/f1">Open in Bulwark</a>');
  });
});
