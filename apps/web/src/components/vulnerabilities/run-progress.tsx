"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { RunStatusCell } from "./run-status.tsx";
import { fromApi, isActive, type ScanRunItem } from "./scan-run.ts";

// The status cell of a QUEUED or RUNNING run, kept current without a reload: it polls the run's API
// (every second while it runs, every two while it waits) and, once the run is finished, refreshes the
// page so the stats and the findings-derived sections show its results. Failed polls back off.

const RUNNING_EVERY_MS = 1_000;
const QUEUED_EVERY_MS = 2_000;
const MAX_BACKOFF_MS = 15_000;
/** A run still queued after this long most likely has no worker to run it. */
const STALLED_AFTER_MS = 15_000;

export function LiveRunStatus({ run }: { run: ScanRunItem }) {
  const router = useRouter();
  const [current, setCurrent] = useState(run);
  const [stalled, setStalled] = useState(false);
  const [lost, setLost] = useState(false);

  useEffect(() => {
    if (!isActive(run.status)) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let latest = run;
    let errors = 0;
    const tick = async () => {
      try {
        const res = await fetch(`/api/v1/scan-runs/${encodeURIComponent(run.id)}`, { cache: "no-store", headers: { accept: "application/json" } });
        if (res.status === 404) {
          // Gone (or the active organization changed): the page knows better than this cell.
          router.refresh();
          return;
        }
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const next = fromApi(await res.json(), latest);
        if (next) latest = next;
        errors = 0;
      } catch {
        errors++;
      }
      if (cancelled) return;
      setCurrent(latest);
      setLost(errors >= 3);
      if (!isActive(latest.status)) {
        router.refresh();
        return;
      }
      setStalled(latest.status === "QUEUED" && Date.now() - Date.parse(latest.startedAt) > STALLED_AFTER_MS);
      const base = latest.status === "RUNNING" ? RUNNING_EVERY_MS : QUEUED_EVERY_MS;
      timer = setTimeout(tick, errors > 0 ? Math.min(MAX_BACKOFF_MS, base * 2 ** errors) : base);
    };
    timer = setTimeout(tick, RUNNING_EVERY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // One poller per run: the parent keys this component by id and status, so new server data remounts it.
  }, [run.id]);

  return (
    <div aria-live="polite" aria-atomic="false">
      <RunStatusCell run={current} stalled={stalled} />
      {lost ? <p className="mt-0.5 text-xs text-warn">Could not check on this run; retrying.</p> : null}
    </div>
  );
}
