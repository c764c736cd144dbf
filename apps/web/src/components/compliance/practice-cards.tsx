import { type PracticeStat } from "@bulwark/core";
import Link from "next/link";
import { percent, practiceHref } from "./links.ts";

const DEFINITIONS: Record<string, string> = {
  trustedImages: "Every image comes from a registry marked trusted.",
  scanning: "Every container's image was scanned in the last 7 days.",
  nonRoot: "Runs as non-root and is not privileged.",
  readOnlyRootFs: "Every container has a read-only root filesystem.",
  enforcement: "Its cluster has a live enforcement point (heartbeat within 10 minutes) and it went through admission.",
};

/** The five practices as cards: share of live workloads, with the count and a link to those that fail. */
export function PracticeCards({ practices, cluster }: { practices: PracticeStat[]; cluster: string | null }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5" aria-label="Five practices" data-testid="practice-cards">
      {practices.map((p) => {
        const failing = p.total - p.compliant - p.unevaluated;
        return (
          <li key={p.practice} className="card flex flex-col gap-1" data-testid={`practice-${p.practice}`} data-ratio={p.ratio ?? ""}>
            <h3 className="text-sm font-medium text-muted">{p.label}</h3>
            {p.notConfigured ? (
              <>
                <p className="text-2xl font-semibold">Not configured</p>
                <p className="text-xs text-muted">
                  No registry is marked trusted. <Link href="/settings" className="text-accent underline">Mark trusted registries</Link> to measure this practice.
                </p>
              </>
            ) : (
              <>
                <p className="text-2xl font-semibold tabular-nums">{percent(p.ratio)}</p>
                <p className="text-xs text-muted tabular-nums">
                  {p.compliant.toLocaleString("en-US")} of {p.total.toLocaleString("en-US")} workloads
                  {p.unevaluated > 0 ? `, ${p.unevaluated.toLocaleString("en-US")} not evaluated yet` : ""}
                </p>
                <p className="text-xs text-muted">{DEFINITIONS[p.practice]}</p>
                {p.total > p.compliant ? (
                  <Link href={practiceHref(p.practice, cluster)} className="mt-auto text-sm text-accent underline">
                    {failing > 0 ? `${failing.toLocaleString("en-US")} not compliant` : "Workloads not compliant"}
                    <span className="sr-only"> with {p.label}</span>
                  </Link>
                ) : null}
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
