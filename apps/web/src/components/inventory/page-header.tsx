import { SectionTabs } from "../section-tabs.tsx";

const TABS = [
  { href: "/clusters", label: "Clusters" },
  { href: "/namespaces", label: "Namespaces" },
  { href: "/workloads", label: "Workloads" },
  { href: "/images", label: "Images" },
] as const;

export type InventoryTab = (typeof TABS)[number]["href"];

export function InventoryHeader({ title, summary, current }: { title: string; summary: string; current: InventoryTab }) {
  return (
    <div className="space-y-3">
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          {title}
        </h1>
        <p className="text-sm text-muted">{summary}</p>
      </div>
      <SectionTabs label="Inventory sections" tabs={TABS} current={current} />
    </div>
  );
}
