"use client";

import Link from "next/link";
import { useEffect } from "react";

// A failing dashboard page keeps the sidebar and header (this boundary sits inside the layout), says
// what happened in plain words and offers a retry; the digest matches the server's log line.
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="card mx-auto mt-8 max-w-lg" role="alert">
      <h1 className="text-xl font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-muted">
        Bulwark could not read what this page shows, most often because the database was briefly unreachable. Your data is safe; try again in a moment.
      </p>
      {error.digest ? <p className="mt-2 font-mono text-xs text-muted">Reference for your administrator: {error.digest}</p> : null}
      <div className="mt-4 flex gap-2">
        <button type="button" className="btn btn-primary" onClick={reset}>
          Try again
        </button>
        <Link href="/" className="btn">
          Back to the overview
        </Link>
      </div>
    </div>
  );
}
