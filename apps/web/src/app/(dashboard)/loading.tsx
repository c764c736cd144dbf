// Shown while a dashboard page's data loads: the header and card grid keep their place, so nothing
// jumps when the content arrives. role=status lets screen readers announce the wait.
export default function Loading() {
  return (
    <section className="space-y-6" aria-busy="true">
      <div role="status" className="sr-only">
        Loading…
      </div>
      <div className="h-8 w-48 animate-pulse rounded bg-surface-2" aria-hidden="true" />
      <div className="grid gap-4 md:grid-cols-[16rem_1fr]" aria-hidden="true">
        <div className="card h-40 animate-pulse" />
        <div className="card h-40 animate-pulse" />
      </div>
      <div className="card h-72 animate-pulse" aria-hidden="true" />
    </section>
  );
}
