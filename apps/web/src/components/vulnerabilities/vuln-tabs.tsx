import Link from "next/link";

const TABS = [
  { href: "/vulnerabilities", label: "Overview" },
  { href: "/vulnerabilities/advisories", label: "Advisories" },
] as const;

export function VulnTabs({ current }: { current: (typeof TABS)[number]["href"] }) {
  return (
    <nav aria-label="Vulnerability sections" className="border-b border-border">
      <ul className="flex gap-4 text-sm">
        {TABS.map((t) => {
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
