import { SectionTabs } from "../section-tabs.tsx";

const TABS = [
  { href: "/vulnerabilities", label: "Overview" },
  { href: "/vulnerabilities/advisories", label: "Advisories" },
] as const;

export function VulnTabs({ current }: { current: (typeof TABS)[number]["href"] }) {
  return <SectionTabs label="Vulnerability sections" tabs={TABS} current={current} />;
}
