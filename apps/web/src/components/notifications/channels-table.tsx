import { formatDateTime } from "../format.ts";
import { StatusBadge } from "../enforcement/status-badge.tsx";
import { type ChannelActionsProps, ChannelRowActions } from "./channel-row-actions.tsx";
import { CHANNEL_TYPE_LABELS, type ChannelKind } from "./form-model.ts";
import { channelTarget, DELIVERY_STATUS, type DeliveryStatus } from "./labels.ts";

// The channel list: where each sends, which alerts it takes, whether it works (its latest delivery).

export interface ChannelRow {
  id: string;
  name: string;
  type: ChannelKind;
  enabled: boolean;
  config: Record<string, unknown>;
  routingText: string;
  lastDelivery: { status: DeliveryStatus; at: Date | string; error: string | null } | null;
}

export function ChannelsTable({ channels, actions }: { channels: ChannelRow[]; actions?: Pick<ChannelActionsProps, "test" | "setEnabled" | "remove"> }) {
  if (channels.length === 0) {
    return (
      <p className="p-4 text-sm text-muted" data-testid="channels-empty">
        No channels yet: alerts are recorded as findings but sent nowhere.
      </p>
    );
  }
  return (
    <table className="table" data-testid="channels-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Sends to</th>
          <th scope="col">Routing</th>
          <th scope="col">State</th>
          <th scope="col">Last delivery</th>
          {actions ? <th scope="col">Manage</th> : null}
        </tr>
      </thead>
      <tbody>
        {channels.map((c) => {
          const last = c.lastDelivery ? DELIVERY_STATUS[c.lastDelivery.status] : null;
          return (
            <tr key={c.id} data-testid="channel-row" data-enabled={c.enabled}>
              <th scope="row" className="text-left align-top font-medium text-fg normal-case">
                {c.name}
              </th>
              <td>{CHANNEL_TYPE_LABELS[c.type]}</td>
              <td className="font-mono text-xs break-all">{channelTarget(c.type, c.config)}</td>
              <td className="text-xs">{c.routingText}</td>
              <td>{c.enabled ? <StatusBadge tone="ok" label="Enabled" /> : <StatusBadge tone="muted" label="Disabled" />}</td>
              <td className="text-xs">
                {c.lastDelivery && last ? (
                  <span className="space-y-0.5">
                    <StatusBadge tone={last.tone} label={last.label} />
                    <span className="block text-muted">{formatDateTime(c.lastDelivery.at)}</span>
                    {c.lastDelivery.error ? <span className="block text-danger">{c.lastDelivery.error}</span> : null}
                  </span>
                ) : (
                  <span className="text-muted">None yet</span>
                )}
              </td>
              {actions ? (
                <td>
                  <ChannelRowActions id={c.id} name={c.name} enabled={c.enabled} {...actions} />
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
