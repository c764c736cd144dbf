import { describeRouting, hasRole, listClusterNames, listNotificationChannels, type NotificationChannelView } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { ChannelForm } from "../../../../components/notifications/channel-form.tsx";
import { type ChannelRow, ChannelsTable } from "../../../../components/notifications/channels-table.tsx";
import { emptyForm, formFromChannel } from "../../../../components/notifications/form-model.ts";
import { NotificationTabs } from "../../../../components/notifications/notification-tabs.tsx";
import { db } from "../../../../server/db.ts";
import { logger } from "../../../../server/logger.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { createChannelAction, deleteChannelAction, setChannelEnabledAction, testChannelAction, updateChannelAction } from "./actions.ts";

export const metadata: Metadata = { title: "Notifications" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function toRow(c: NotificationChannelView): ChannelRow {
  return { id: c.id, name: c.name, type: c.type, enabled: c.enabled, config: c.config as unknown as Record<string, unknown>, routingText: describeRouting(c.routing), lastDelivery: c.lastDelivery };
}

function Intro() {
  return (
    <div className="space-y-3">
      <div>
        <p className="text-sm">
          <Link href="/settings" className="text-accent underline">
            Settings
          </Link>
        </p>
        <h1 id="page-title" className="text-2xl font-semibold">
          Notifications
        </h1>
        <p className="max-w-3xl text-sm text-muted">
          New and reopened runtime alerts and admission policy violations are sent to these channels: a signed JSON webhook, a Slack incoming webhook or
          email. One alert per finding per dedup window (runtime settings); failed deliveries are retried with backoff and end in the delivery log.{" "}
          <a href="/api/v1/openapi.json" className="text-accent underline">
            API
          </a>
        </p>
      </div>
      <NotificationTabs current="/settings/notifications" />
    </div>
  );
}

export default async function NotificationsPage({ searchParams }: { searchParams: SearchParams }) {
  const { ctx, current } = await requirePage();
  if (!hasRole(current.role, "ADMIN")) {
    return (
      <section aria-labelledby="page-title" className="space-y-6">
        <Intro />
        <p className="card text-sm" data-testid="channels-admin-only">
          Only administrators can see and change notification channels.
          {hasRole(current.role, "ANALYST") ? (
            <>
              {" "}
              The{" "}
              <Link href="/settings/notifications/deliveries" className="text-accent underline">
                delivery log
              </Link>{" "}
              shows what was sent.
            </>
          ) : null}
        </p>
      </section>
    );
  }
  const sp = await searchParams;
  const editId = typeof sp.edit === "string" ? sp.edit : undefined;
  const [channels, clusters] = await Promise.all([
    listNotificationChannels(db(), ctx),
    listClusterNames(db(), ctx).catch((err: unknown) => {
      logger().warn({ err }, "notifications page: could not list clusters");
      return [] as string[];
    }),
  ]);
  const editing = editId ? channels.find((c) => c.id === editId) : undefined;
  const cfg = editing?.config as Record<string, unknown> | undefined;

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <Intro />
      {editId && !editing ? (
        <p role="alert" className="card text-sm text-danger">
          That channel no longer exists.
        </p>
      ) : null}
      {editing ? (
        <ChannelForm
          key={editing.id}
          mode="edit"
          initial={formFromChannel({ ...editing, config: cfg ?? {} })}
          stored={{
            maskedUrl: typeof cfg?.url === "string" ? cfg.url : typeof cfg?.webhookUrl === "string" ? cfg.webhookUrl : undefined,
            headerNames: Array.isArray(cfg?.headerNames) ? (cfg.headerNames as string[]) : [],
            hasPassword: cfg?.hasPassword === true,
          }}
          save={updateChannelAction.bind(null, editing.id)}
          clusters={clusters}
        />
      ) : (
        <ChannelForm mode="create" initial={emptyForm()} save={createChannelAction} clusters={clusters} />
      )}
      <div className="card overflow-x-auto p-0">
        <h2 className="px-4 pt-4 font-semibold">Channels</h2>
        <ChannelsTable channels={channels.map(toRow)} actions={{ test: testChannelAction, setEnabled: setChannelEnabledAction, remove: deleteChannelAction }} />
      </div>
    </section>
  );
}
