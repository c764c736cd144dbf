"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { searchImagesAction, startRescanAction } from "../../app/(dashboard)/vulnerabilities/actions.ts";
import { formatDateTime } from "../format.ts";

// Starting re-matches (ANALYST+): the whole organization, one cluster, or one image found by
// repository. A started run shows up in the runs table (the page refreshes) with its live progress.
// Viewers see the same controls disabled, with the reason, so they know the feature exists.

interface ClusterOption {
  id: string;
  name: string;
}

interface ImageOption {
  id: string;
  reference: string;
  digest: string;
  tags: string[];
  lastScannedAt: string | null;
}

type Started = { kind: string; label: string } | null;

function useRescan() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<Started>(null);
  const [pending, start] = useTransition();
  const run = (kind: "FULL" | "CLUSTER" | "IMAGE", targetId: string | undefined, label: string) => {
    setError(null);
    setStarted(null);
    start(async () => {
      const r = await startRescanAction(kind, targetId);
      if (!r.ok) {
        setError(r.fields?.[0]?.message ?? r.error);
        return;
      }
      setStarted({ kind, label });
      router.refresh();
    });
  };
  return { run, error, started, pending };
}

export function RescanControls({ canRescan, reason, clusters }: { canRescan: boolean; reason: string | null; clusters: ClusterOption[] }) {
  const { run, error, started, pending } = useRescan();
  const clusterId = useId();
  const imageId = useId();
  const [cluster, setCluster] = useState(clusters[0]?.id ?? "");
  const [query, setQuery] = useState("");
  const [images, setImages] = useState<ImageOption[] | null>(null);
  const [searched, setSearched] = useState("");
  const [searchError, setSearchError] = useState<string | null>(null);
  const [searching, startSearch] = useTransition();
  const disabled = !canRescan || pending;

  return (
    <div className="space-y-4" data-testid="rescan-controls">
      {!canRescan && reason ? (
        <p className="text-sm text-muted" data-testid="rescan-disabled-reason">
          {reason}
        </p>
      ) : null}

      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn btn-primary" disabled={disabled} data-testid="rescan-org" onClick={() => run("FULL", undefined, "the organization")}>
          {pending ? "Starting…" : "Rescan organization"}
        </button>
        <p className="text-xs text-muted">Re-matches every image of the organization against the current advisories.</p>
      </div>

      <form
        className="flex flex-wrap items-end gap-2"
        aria-label="Rescan one cluster"
        onSubmit={(e) => {
          e.preventDefault();
          const c = clusters.find((x) => x.id === cluster);
          if (c) run("CLUSTER", c.id, `cluster ${c.name}`);
        }}
      >
        <div>
          <label htmlFor={clusterId} className="label text-xs">
            Cluster
          </label>
          <select id={clusterId} className="input py-1.5" value={cluster} disabled={!canRescan || clusters.length === 0} onChange={(e) => setCluster(e.currentTarget.value)} data-testid="rescan-cluster-select">
            {clusters.length === 0 ? <option value="">No clusters yet</option> : null}
            {clusters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn" disabled={disabled || clusters.length === 0} data-testid="rescan-cluster">
          Rescan cluster
        </button>
      </form>

      <div>
        <form
          className="flex flex-wrap items-end gap-2"
          role="search"
          aria-label="Find an image to rescan"
          onSubmit={(e) => {
            e.preventDefault();
            setSearchError(null);
            const q = query.trim();
            startSearch(async () => {
              const r = await searchImagesAction(q);
              if (r.ok) {
                setImages(r.data);
                setSearched(q);
              } else setSearchError(r.error);
            });
          }}
        >
          <div className="min-w-64 flex-1">
            <label htmlFor={imageId} className="label text-xs">
              Image repository
            </label>
            <input
              id={imageId}
              type="search"
              className="input py-1.5"
              placeholder="e.g. ghcr.io/acme/api or nginx"
              maxLength={200}
              value={query}
              disabled={!canRescan}
              onChange={(e) => setQuery(e.currentTarget.value)}
              data-testid="rescan-image-query"
            />
          </div>
          <button type="submit" className="btn" disabled={!canRescan || searching || query.trim() === ""} data-testid="rescan-image-search">
            {searching ? "Searching…" : "Find images"}
          </button>
        </form>
        {searchError ? (
          <p role="alert" className="mt-1 text-xs text-danger">
            {searchError}
          </p>
        ) : null}
        {images !== null ? (
          images.length === 0 ? (
            <p className="mt-2 text-sm text-muted" role="status" data-testid="rescan-image-none">
              No image of this organization matches “{searched}”.
            </p>
          ) : (
            <ul className="mt-2 divide-y divide-border rounded-md border border-border" aria-label="Matching images" data-testid="rescan-image-results">
              {images.map((im) => (
                <li key={im.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
                  <span className="min-w-0">
                    <span className="block truncate font-medium">
                      {im.reference}
                      {im.tags.length ? <span className="text-muted">:{im.tags.slice(0, 3).join(", ")}</span> : null}
                    </span>
                    <code className="block truncate font-mono text-xs text-muted" title={im.digest}>
                      {im.digest}
                    </code>
                    <span className="text-xs text-muted">Last scanned {formatDateTime(im.lastScannedAt)}</span>
                  </span>
                  <button type="button" className="btn py-1 text-xs" disabled={disabled} aria-label={`Rescan ${im.reference}@${im.digest.slice(0, 19)}`} onClick={() => run("IMAGE", im.id, im.reference)}>
                    Rescan image
                  </button>
                </li>
              ))}
            </ul>
          )
        ) : null}
      </div>

      {error ? (
        <p role="alert" className="text-sm text-danger" data-testid="rescan-error">
          {error}
        </p>
      ) : null}
      {started ? (
        <p role="status" className="text-sm text-ok" data-testid="rescan-started">
          Rescan of {started.label} queued; its progress shows in the runs below.
        </p>
      ) : null}
    </div>
  );
}
