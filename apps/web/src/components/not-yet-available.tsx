export function NotYetAvailable({ title, summary, bullets }: { title: string; summary: string; bullets: string[] }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">
        {title}
      </h1>
      <div className="card mt-6 max-w-2xl" data-testid="not-yet-available">
        <p className="text-sm font-semibold text-warn">Not yet available</p>
        <p className="mt-2 text-sm">{summary}</p>
        <p className="mt-4 text-sm font-medium">When it ships, this page will:</p>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-muted">
          {bullets.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}
