import { formatDateTime } from "../format.ts";

// Flags of an advisory. Text carries the meaning; the colour only reinforces it.

function Flag({ color, children, title, testId }: { color: string; children: React.ReactNode; title?: string; testId?: string }) {
  return (
    <span
      className="inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap"
      style={{ color, borderColor: `color-mix(in srgb, ${color} 45%, transparent)` }}
      title={title}
      data-testid={testId}
    >
      {children}
    </span>
  );
}

export function AdvisoryFlags({ knownExploited, publicExploit, withdrawnAt }: { knownExploited: boolean; publicExploit: boolean; withdrawnAt: Date | null }) {
  if (!knownExploited && !publicExploit && !withdrawnAt) return null;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {knownExploited ? (
        <Flag color="var(--danger)" title="Listed as exploited in the wild (e.g. CISA KEV)" testId="flag-known-exploited">
          Exploited in the wild
        </Flag>
      ) : null}
      {publicExploit ? (
        <Flag color="var(--warn)" title="A public exploit is referenced" testId="flag-public-exploit">
          Public exploit
        </Flag>
      ) : null}
      {withdrawnAt ? (
        <Flag color="var(--muted)" title={`Withdrawn ${formatDateTime(withdrawnAt)}: it no longer opens findings`} testId="flag-withdrawn">
          Withdrawn
        </Flag>
      ) : null}
    </span>
  );
}

/** The path of an advisory's detail page; ids such as RHSA-2024:1234 need encoding. */
export function advisoryHref(externalId: string): string {
  return `/vulnerabilities/advisories/${encodeURIComponent(externalId)}`;
}
