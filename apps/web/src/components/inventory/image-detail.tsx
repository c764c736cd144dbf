import { type ImageDetail } from "@bulwark/core";
import Link from "next/link";
import { StatusBadge } from "../enforcement/status-badge.tsx";
import { formatDateTime, formatNumber } from "../format.ts";
import { MalwareBadge, SignatureBadge } from "./image-badges.tsx";

// The image page's sections: supply-chain facts (trust, signature, malware, scans), where it runs and
// its packages (paged, searchable through the URL).

export function ImageFacts({ image }: { image: Pick<ImageDetail, "trust" | "signatureVerified" | "malwareVerdict" | "lastScannedAt" | "matchedAt" | "osName" | "firstSeen" | "lastSeen" | "digest" | "tags"> }) {
  const t = image.trust;
  return (
    <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]" data-testid="image-facts">
      <dt className="text-muted">Digest</dt>
      <dd className="font-mono text-xs break-all">{image.digest}</dd>
      <dt className="text-muted">Tags</dt>
      <dd className="font-mono text-xs">{image.tags.length > 0 ? image.tags.join(", ") : "—"}</dd>
      <dt className="text-muted">Registry trust</dt>
      <dd data-testid="image-trust">
        {t.trusted === null ? (
          <span className="text-muted">
            Not configured: no trusted registry is set (<Link href="/settings" className="underline">Settings</Link>).
          </span>
        ) : t.trusted ? (
          <StatusBadge tone="ok" label="Trusted registry" />
        ) : (
          <StatusBadge tone="danger" label="Not from a trusted registry" title={`Trusted: ${t.trustedRegistries.join(", ")}`} />
        )}
        {t.registry ? <span className="block text-xs text-muted">Reported by registry connector {t.registry.name} ({t.registry.host})</span> : null}
      </dd>
      <dt className="text-muted">Signature</dt>
      <dd>
        <SignatureBadge verified={image.signatureVerified} />
      </dd>
      <dt className="text-muted">Malware</dt>
      <dd>
        <MalwareBadge verdict={image.malwareVerdict} />
      </dd>
      <dt className="text-muted">Operating system</dt>
      <dd>{image.osName ?? "—"}</dd>
      <dt className="text-muted">Last scanned</dt>
      <dd className="tabular-nums">{image.lastScannedAt ? formatDateTime(image.lastScannedAt) : "Never scanned"}</dd>
      <dt className="text-muted">Last matched against advisories</dt>
      <dd className="tabular-nums">{image.matchedAt ? formatDateTime(image.matchedAt) : "Pending"}</dd>
      <dt className="text-muted">First / last seen</dt>
      <dd className="tabular-nums">
        {formatDateTime(image.firstSeen)} / {formatDateTime(image.lastSeen)}
      </dd>
    </dl>
  );
}

export function RunsIn({ runsIn }: { runsIn: ImageDetail["runsIn"] }) {
  if (runsIn.workloadCount === 0) return <p className="text-sm text-muted">No live workload runs this image.</p>;
  return (
    <div className="space-y-2" data-testid="image-runs">
      <p className="text-sm">
        {formatNumber(runsIn.workloadCount)} {runsIn.workloadCount === 1 ? "workload" : "workloads"} in{" "}
        {runsIn.clusters.map((c, i) => (
          <span key={c.id}>
            {i > 0 ? ", " : ""}
            <Link href={`/clusters/${c.id}`} className="text-accent underline">
              {c.name}
            </Link>{" "}
            ({c.workloads})
          </span>
        ))}
        {runsIn.workloads.length < runsIn.workloadCount ? <span className="text-muted"> (first {runsIn.workloads.length} listed)</span> : null}
      </p>
      <ul className="grid gap-1 text-sm sm:grid-cols-2">
        {runsIn.workloads.map((w) => (
          <li key={w.id} className="truncate">
            <Link href={`/workloads/${w.id}`} className="text-accent underline">
              {w.name}
            </Link>{" "}
            <span className="text-xs text-muted">
              {w.kind} · {w.cluster.name}/{w.namespace} · {w.containers.join(", ")}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PackagesTable({ imageId, packages, packageQ, cursor }: { imageId: string; packages: ImageDetail["packages"]; packageQ: string | undefined; cursor: string | undefined }) {
  const base = `/images/${imageId}`;
  const q = packageQ ? `packageQ=${encodeURIComponent(packageQ)}` : "";
  return (
    <div className="space-y-3" data-testid="image-packages">
      <form method="get" action={base} role="search" aria-label="Search packages" className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="f-packageQ" className="label">
            Package name contains
          </label>
          <input id="f-packageQ" name="packageQ" type="search" defaultValue={packageQ ?? ""} maxLength={200} className="input" />
        </div>
        <button type="submit" className="btn">
          Search
        </button>
        <span className="text-sm text-muted">
          {formatNumber(packages.total)} {packages.total === 1 ? "package" : "packages"}
        </span>
      </form>
      {packages.items.length === 0 ? (
        <p className="text-sm text-muted">{packageQ ? "No package matches." : "No packages recorded: a scan with packages or an SBOM adds them."}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table table-fixed">
            <caption className="sr-only">Packages of the image, by name</caption>
            <thead>
              <tr>
                <th scope="col" className="w-[30%]">
                  Package
                </th>
                <th scope="col" className="w-[20%]">
                  Version
                </th>
                <th scope="col" className="w-[15%]">
                  Ecosystem
                </th>
                <th scope="col" className="w-[20%]">
                  Source
                </th>
                <th scope="col" className="w-[15%]">
                  License
                </th>
              </tr>
            </thead>
            <tbody>
              {packages.items.map((p) => (
                <tr key={p.id} data-testid="image-package-row">
                  <th scope="row" className="truncate text-left font-mono text-xs font-medium tracking-normal text-fg normal-case" title={p.purl ?? p.name}>
                    {p.name}
                  </th>
                  <td className="truncate font-mono text-xs">{p.version}</td>
                  <td className="truncate text-xs">{p.ecosystem}</td>
                  <td className="truncate font-mono text-xs">{p.srcName ? `${p.srcName} ${p.srcVersion ?? ""}` : "—"}</td>
                  <td className="truncate text-xs">{p.license ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages of packages" className="flex min-h-10 items-center gap-3 text-sm">
        {cursor ? (
          <Link href={q ? `${base}?${q}` : base} className="btn">
            First page
          </Link>
        ) : null}
        {packages.nextCursor ? (
          <Link href={`${base}?${q ? `${q}&` : ""}packageCursor=${encodeURIComponent(packages.nextCursor)}`} className="btn" rel="next">
            Next page
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
