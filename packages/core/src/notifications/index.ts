// Notification channels, routing and delivery (docs/notifications.md), and their use cases.
export * from "./types.ts";
export { ALERT_FINDING_TYPES, ALERT_SEVERITIES, describeRouting, matchesRouting, readRouting, routingSchema, type AlertFindingType, type AlertSeverity, type RoutableFinding, type Routing } from "./routing.ts";
export {
  CHANNEL_TYPES,
  createChannelSchema,
  emailConfigSchema,
  maskUrl,
  MAX_EMAIL_RECIPIENTS,
  slackConfigSchema,
  updateChannelSchema,
  webhookConfigSchema,
  type ChannelType,
  type CreateChannelInput,
  type PublicConfig,
} from "./channel-config.ts";
export { type NotificationChannelView } from "./channel-view.ts";
export { type NotificationDeliveryView } from "./delivery-view.ts";
export { ALERT_PAYLOAD_VERSION, type AlertFinding, type AlertPayload, type SentPayload } from "./payload.ts";
export { DELIVERY_HEADER, renderEmail, renderSlack, renderWebhook, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, verifyWebhookSignature, type EmailMessage, type SlackMessage } from "./render.ts";
export { DEFAULT_NOTIFICATION_SETTINGS, notificationSettings, type NotificationSettings } from "./settings.ts";
export { notificationJobs, notifyDeliverJob, notifyRedeliverJob, notifyRouteJob } from "./jobs.ts";
export { enqueueAlerts } from "./queue-alerts.ts";
export * from "../use-cases/create-notification-channel.ts";
export * from "../use-cases/update-notification-channel.ts";
export * from "../use-cases/delete-notification-channel.ts";
export * from "../use-cases/list-notification-channels.ts";
export * from "../use-cases/get-notification-channel.ts";
export * from "../use-cases/send-test-notification.ts";
export * from "../use-cases/list-notification-deliveries.ts";
export * from "../use-cases/retry-notification-delivery.ts";
