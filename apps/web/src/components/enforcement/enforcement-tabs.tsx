import Link from "next/link";

const TABS = [
  { href: "/enforcement", label: "Overview" },
  { href: "/enforcement/decisions", label: "Admission decisions" },
] as const;

export function EnforcementTabs({ current }: { current: (typeof TABS)[number]["href"] }) {
  return (
    <nav aria-label="Enforcement sections" className="border-b border-border">
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
