import { SectionTabs } from "../section-tabs.tsx";

const TABS = [
  { href: "/settings/notifications", label: "Channels" },
  { href: "/settings/notifications/deliveries", label: "Delivery log" },
] as const;

export function NotificationTabs({ current }: { current: (typeof TABS)[number]["href"] }) {
  return <SectionTabs label="Notification sections" tabs={TABS} current={current} />;
}
