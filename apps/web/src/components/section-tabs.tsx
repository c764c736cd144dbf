import Link from "next/link";

// Tabs between the pages of one dashboard section (Enforcement, Vulnerabilities): links, with the
// current page marked for assistive technology and by an underline.

export interface SectionTab {
  href: string;
  label: string;
}

export function SectionTabs({ label, tabs, current }: { label: string; tabs: readonly SectionTab[]; current: string }) {
  return (
    <nav aria-label={label} className="border-b border-border">
      <ul className="flex gap-4 text-sm">
        {tabs.map((t) => {
          const active = t.href === current;
          return (
            <li key={t.href}>
              <Link
                href={t.href}
                aria-current={active ? "page" : undefined}
                className={`-mb-px inline-block border-b-2 px-1 pb-2 ${active ? "border-accent font-semibold text-fg" : "border-transparent text-muted hover:text-fg"}`}
              >
                {t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
