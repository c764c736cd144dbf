import { SectionTabs } from "../section-tabs.tsx";

const TABS = [
  { href: "/runtime", label: "Runtime findings" },
  { href: "/runtime/baselines", label: "Baselines" },
  { href: "/runtime/settings", label: "Settings" },
] as const;

export type RuntimeTab = (typeof TABS)[number]["href"];

export function RuntimeHeader({ title, summary, current, children }: { title: string; summary: string; current: RuntimeTab; children?: React.ReactNode }) {
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            {title}
          </h1>
          <p className="text-sm text-muted">{summary}</p>
        </div>
        {children}
      </div>
      <SectionTabs label="Runtime sections" tabs={TABS} current={current} />
    </div>
  );
}
