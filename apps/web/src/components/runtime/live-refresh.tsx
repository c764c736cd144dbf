"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

// "Live" for the Runtime list without a reload: every few seconds it asks the activity route whether
// any runtime aggregate changed (one small JSON answer) and only then re-renders the page on the
// server (router.refresh keeps scroll, focus and form input). Paused by the reader, and idle while the
// tab is hidden. The pulse is decoration only, so reduced-motion readers get a still dot.

export const LIVE_EVERY_MS = 5_000;
const MAX_BACKOFF_MS = 60_000;

/** hh:mm:ss UTC: the same text on server and client, whatever the browser's zone. */
export function clockOf(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "—" : `${d.toISOString().slice(11, 19)} UTC`;
}

export function LiveRefresh({ signature, renderedAt, endpoint = "/api/v1/runtime/activity", everyMs = LIVE_EVERY_MS }: { signature: string; renderedAt: string; endpoint?: string; everyMs?: number }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  const [checkedAt, setCheckedAt] = useState(renderedAt);
  const [failing, setFailing] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const known = useRef(signature);
  // A server render after refresh() brings the signature it was made from.
  useEffect(() => {
    known.current = signature;
  }, [signature]);

  useEffect(() => {
    if (paused) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let errors = 0;
    const tick = async () => {
      if (!document.hidden) {
        try {
          const res = await fetch(endpoint, { cache: "no-store", headers: { accept: "application/json" } });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const body = (await res.json()) as { signature?: unknown };
          if (cancelled) return;
          errors = 0;
          setFailing(false);
          setCheckedAt(new Date().toISOString());
          if (typeof body.signature === "string" && body.signature !== known.current) {
            known.current = body.signature;
            setAnnouncement(`Runtime findings updated at ${clockOf(new Date().toISOString())}`);
            router.refresh();
          }
        } catch {
          if (cancelled) return;
          errors++;
          setFailing(errors >= 2);
        }
      }
      if (!cancelled) timer = setTimeout(tick, errors > 0 ? Math.min(MAX_BACKOFF_MS, everyMs * 2 ** errors) : everyMs);
    };
    timer = setTimeout(tick, everyMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [paused, endpoint, everyMs, router]);

  const state = paused ? "paused" : failing ? "failing" : "live";
  return (
    <div className="flex items-center gap-3 text-sm" data-testid="runtime-live" data-state={state}>
      <span className="inline-flex items-center gap-2">
        <span
          aria-hidden="true"
          className={`inline-block h-2.5 w-2.5 rounded-full ${state === "live" ? "bg-ok motion-safe:animate-pulse" : state === "failing" ? "bg-warn" : "bg-muted"}`}
        />
        <span data-testid="runtime-live-text">
          {state === "paused" ? "Paused" : state === "failing" ? "Reconnecting" : "Live"} · updated <time dateTime={checkedAt}>{clockOf(checkedAt)}</time>
        </span>
      </span>
      <button type="button" className="btn py-1 text-xs" aria-pressed={paused} onClick={() => setPaused((p) => !p)} data-testid="runtime-live-toggle">
        {paused ? "Resume live updates" : "Pause live updates"}
      </button>
      <span className="sr-only" role="status" aria-live="polite">
        {announcement}
      </span>
    </div>
  );
}
