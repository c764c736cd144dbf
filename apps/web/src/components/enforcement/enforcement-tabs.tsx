import { SectionTabs } from "../section-tabs.tsx";

const TABS = [
  { href: "/enforcement", label: "Overview" },
  { href: "/enforcement/decisions", label: "Admission decisions" },
  { href: "/enforcement/actions", label: "Actions" },
] as const;

export function EnforcementTabs({ current }: { current: (typeof TABS)[number]["href"] }) {
  return <SectionTabs label="Enforcement sections" tabs={TABS} current={current} />;
}
