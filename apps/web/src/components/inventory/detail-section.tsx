import type { ReactNode } from "react";

/** A titled card of a detail page; the heading names the region for assistive technology. */
export function DetailSection({ id, title, children, testId, actions }: { id: string; title: string; children: ReactNode; testId?: string; actions?: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="card space-y-3" data-testid={testId}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
