"use server";

import { createNotificationChannel, deleteNotificationChannel, retryNotificationDelivery, sendTestNotification, updateNotificationChannel } from "@bulwark/core";
import { revalidatePath } from "next/cache";
import { env } from "../../../../env.ts";
import { actionContext, runAction } from "../../../../server/actions.ts";
import { db } from "../../../../server/db.ts";
import { queue } from "../../../../server/queue.ts";

// Authorisation (ADMIN+), validation, encryption of secrets and the audit rows live in the core use
// cases; these only resolve the caller and refresh the pages.

const refresh = () => {
  revalidatePath("/settings/notifications");
  revalidatePath("/settings/notifications/deliveries");
};

export async function createChannelAction(input: Record<string, unknown>) {
  return runAction(async () => {
    const saved = await createNotificationChannel(db(), await actionContext(), input, env().keySecret);
    refresh();
    return { id: saved.channel.id, signingSecret: saved.signingSecret };
  });
}

export async function updateChannelAction(id: string, input: Record<string, unknown>) {
  return runAction(async () => {
    const saved = await updateNotificationChannel(db(), await actionContext(), id, input, env().keySecret);
    refresh();
    return { id: saved.channel.id, signingSecret: saved.signingSecret };
  });
}

export async function setChannelEnabledAction(id: string, enabled: boolean) {
  return runAction(async () => {
    await updateNotificationChannel(db(), await actionContext(), id, { enabled }, env().keySecret);
    refresh();
    return { id };
  });
}

export async function deleteChannelAction(id: string) {
  return runAction(async () => {
    await deleteNotificationChannel(db(), await actionContext(), id);
    refresh();
    return { id };
  });
}

export async function testChannelAction(id: string) {
  return runAction(async () => {
    const result = await sendTestNotification(db(), await actionContext(), id, { keySecret: env().keySecret, dashboardUrl: env().NEXTAUTH_URL });
    refresh();
    return result;
  });
}

export async function retryDeliveryAction(id: string) {
  return runAction(async () => {
    const d = await retryNotificationDelivery(db(), await queue(), await actionContext(), id);
    refresh();
    return { id: d.id };
  });
}
