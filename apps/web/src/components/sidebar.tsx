"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { NAV_ITEMS } from "./nav.ts";

export function Sidebar() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="w-56 shrink-0 border-r border-border bg-surface px-3 py-4">
      <Link href="/" className="mb-6 block px-2 text-lg font-bold tracking-tight">
        Bulwark
      </Link>
      <ul className="space-y-0.5">
        {NAV_ITEMS.map((item) => {
          const active = item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`block rounded-md px-2 py-1.5 text-sm ${active ? "bg-surface-2 font-semibold text-fg" : "text-muted hover:bg-surface-2 hover:text-fg"}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
