// What the notification jobs need from the process that runs them (the worker's env): the secret channel
// secrets are encrypted under, the dashboard URL for links, and the retry policy of deliveries.

export interface NotificationSettings {
  /** BULWARK_KEY_SECRET, else NEXTAUTH_SECRET: the web app encrypts channel secrets under it. */
  keySecret: string | null;
  /** NEXTAUTH_URL: links in alerts point into the dashboard (none when unset). */
  dashboardUrl: string | null;
  /** Attempts per delivery before it is DEAD (the first try included). */
  attempts: number;
  /** First retry delay; each further retry doubles it (BullMQ exponential backoff). */
  backoffMs: number;
  /** Per request (HTTP) or per SMTP stage. */
  timeoutMs: number;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  keySecret: null,
  dashboardUrl: null,
  attempts: 6,
  backoffMs: 5_000,
  timeoutMs: 10_000,
};

export function notificationSettings(partial: Partial<NotificationSettings> | undefined): NotificationSettings {
  return { ...DEFAULT_NOTIFICATION_SETTINGS, ...Object.fromEntries(Object.entries(partial ?? {}).filter(([, v]) => v !== undefined)) };
}
