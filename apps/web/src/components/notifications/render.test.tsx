import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => undefined, push: () => undefined }) }));

const { ChannelForm } = await import("./channel-form.tsx");
const { ChannelsTable } = await import("./channels-table.tsx");
const { testOutcomeText } = await import("./channel-row-actions.tsx");
const { DeliveriesTable } = await import("./deliveries-table.tsx");
const { DeliveryFiltersForm, deliveryFiltersToSearch, parseDeliveryFilters } = await import("./delivery-filters.tsx");
const { emptyForm, formFromChannel } = await import("./form-model.ts");
const { channelTarget } = await import("./labels.ts");

// Server-rendered markup of the notification components: labels tied to fields, states in words,
// secrets never rendered, retry only where it applies.

const noop = async () => ({ ok: true as const, data: { id: "x", signingSecret: null } });
const idAction = async () => ({ ok: true as const, data: { id: "x" } });

describe("channel form", () => {
  it("labels every field and shows the webhook fields for a new channel", () => {
    const html = renderToStaticMarkup(<ChannelForm mode="create" initial={emptyForm()} save={noop} clusters={["prod-eu"]} />);
    expect(html).toContain('aria-labelledby="channel-form-title"');
    for (const id of ["ch-name", "ch-type", "ch-url", "ch-secret", "ch-headers", "ch-minSeverity", "ch-clusters", "ch-policies"]) {
      expect(html).toContain(`for="${id}"`);
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain("Generated and shown once when left blank.");
    expect(html).toContain('<legend class="label">Routing</legend>');
    expect(html).toContain('<option value="prod-eu">');
    expect(html).not.toContain("ch-host");
  });

  it("an email channel being edited shows its stored values but never a secret, and says what blank keeps", () => {
    const initial = formFromChannel({ id: "c1", name: "mail", type: "EMAIL", enabled: true, config: { host: "smtp.example.com", port: 587, security: "starttls", from: "b@example.com", to: ["sec@example.com"], username: "alerts", hasPassword: true }, routing: {} });
    const html = renderToStaticMarkup(<ChannelForm mode="edit" initial={initial} stored={{ hasPassword: true }} save={noop} />);
    expect(html).toContain("Edit channel mail");
    expect(html).toContain('value="smtp.example.com"');
    expect(html).toContain("A password is stored. Leave blank to keep the stored value.");
    expect(html).toContain("Remove the stored password");
    expect(html).toMatch(/<input[^>]*id="ch-password"[^>]*value=""/);
    expect(html).toMatch(/<select[^>]*id="ch-type"[^>]*disabled=""/);
  });
});

describe("channels table", () => {
  it("lists channels with masked targets, routing and the last delivery in words", () => {
    const html = renderToStaticMarkup(
      <ChannelsTable
        channels={[
          { id: "a", name: "siem", type: "WEBHOOK", enabled: true, config: { url: "https://siem.example/…", headerNames: ["Authorization"] }, routingText: "HIGH and above · RUNTIME", lastDelivery: { status: "DEAD", at: "2026-11-29T10:00:00.000Z", error: "HTTP 503" } },
          { id: "b", name: "chat", type: "SLACK", enabled: false, config: { webhookUrl: "https://hooks.slack.com/…" }, routingText: "Every alert", lastDelivery: null },
        ]}
        actions={{ test: async () => ({ ok: true, data: { deliveryId: "d", status: "DELIVERED", responseStatus: 200, error: null } }), setEnabled: idAction, remove: idAction }}
      />,
    );
    expect(html).toContain('data-testid="channels-table"');
    expect(html).toContain("https://siem.example/… (+ headers Authorization)");
    for (const text of ["Dead", "HTTP 503", "Disabled", "Enabled", "None yet", "HIGH and above · RUNTIME", "Slack incoming webhook"]) expect(html).toContain(text);
    expect(html).toContain('aria-label="Send test to siem"');
    expect(html).toContain('aria-label="Enable chat"');
    expect(html).toContain('href="/settings/notifications?edit=a"');
    expect(html.match(/<th scope="row"/g)).toHaveLength(2);
    expect(renderToStaticMarkup(<ChannelsTable channels={[]} />)).toContain('data-testid="channels-empty"');
  });

  it("describes targets and test outcomes", () => {
    expect(channelTarget("EMAIL", { host: "smtp.example.com", port: 587, security: "starttls", to: ["a@x.io", "b@x.io", "c@x.io"] })).toBe("a@x.io, b@x.io and 1 more via smtp.example.com:587 (starttls)");
    expect(testOutcomeText({ deliveryId: "d", status: "DELIVERED", responseStatus: 204, error: null })).toBe("Delivered (204).");
    expect(testOutcomeText({ deliveryId: "d", status: "DEAD", responseStatus: null, error: "connection refused" })).toBe("Failed: connection refused.");
  });
});

describe("delivery log", () => {
  const row = {
    id: "d1",
    kind: "alert" as const,
    reason: "created",
    status: "DEAD" as const,
    attempts: 6,
    lastError: "HTTP 500 Internal Server Error",
    responseStatus: 500,
    createdAt: "2026-11-29T10:00:00.000Z",
    deliveredAt: null,
    channel: { id: "c1", name: "siem", type: "WEBHOOK" as const },
    finding: { id: "f1", title: "Terminal shell in container", severity: "HIGH" },
  };

  it("shows status, attempts and the last error, with retry for dead alerts only", () => {
    const html = renderToStaticMarkup(
      <DeliveriesTable
        rows={[row, { ...row, id: "d2", status: "DELIVERED", attempts: 1, lastError: null, responseStatus: 200, deliveredAt: "2026-11-29T10:00:01.000Z" }, { ...row, id: "d3", kind: "test", reason: "test", finding: null }]}
        retry={idAction}
      />,
    );
    expect(html).toMatch(/data-testid="delivery-row" data-status="DEAD"/);
    for (const text of ["Dead", "Delivered", "HTTP 500 Internal Server Error", "New finding", "Test notification", "HIGH · Terminal shell in container"]) expect(html).toContain(text);
    expect(html).toContain('href="/findings/f1"');
    // One retry button: the dead alert (the dead test-send is not retried).
    expect(html.match(/aria-label="Retry the delivery to siem"/g)).toHaveLength(1);
    expect(renderToStaticMarkup(<DeliveriesTable rows={[row]} />)).not.toContain("Retry");
  });

  it("filters live in the URL", () => {
    const { filters, cursor } = parseDeliveryFilters({ status: "DEAD", channel: "c1", cursor: "d9" });
    expect(filters).toEqual({ status: "DEAD", channel: "c1" });
    expect(deliveryFiltersToSearch(filters, cursor)).toBe("?status=DEAD&channel=c1&cursor=d9");
    expect(parseDeliveryFilters({ status: "LOST" }).filters.status).toBeUndefined();
    const html = renderToStaticMarkup(<DeliveryFiltersForm filters={filters} channels={[{ id: "c1", name: "siem" }]} />);
    expect(html).toContain('role="search"');
    expect(html).toContain('<label for="d-status"');
    expect(html).toContain('<option value="c1" selected="">siem</option>');
    expect(html).toContain('href="/settings/notifications/deliveries"');
  });
});
