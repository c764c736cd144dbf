import Link from "next/link";
import { formatDateTime, formatNumber } from "../format.ts";

export interface BundleSummary {
  version: number;
  createdAt: string;
  contentHash: string;
  keyId: string;
  policies: number;
  exceptions: number;
  trustedRegistries: number;
  allowedDeployerRules: number;
}

export function BundleCard({ bundle }: { bundle: BundleSummary | null }) {
  return (
    <div className="card" data-testid="bundle-card">
      <h2 className="font-semibold">Current bundle</h2>
      {bundle === null ? (
        <p className="mt-2 text-sm text-danger" role="alert">
          The current bundle could not be built. The server log has the reason; enforcement points keep enforcing the last bundle they verified.
        </p>
      ) : (
        <>
          <p className="mt-2 text-3xl font-bold tabular-nums" data-testid="bundle-version">
            v{bundle.version}
          </p>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted">Created</dt>
            <dd className="tabular-nums">{formatDateTime(bundle.createdAt)}</dd>
            <dt className="text-muted">Content hash</dt>
            <dd className="font-mono text-xs break-all" data-testid="bundle-hash">
              {bundle.contentHash}
            </dd>
            <dt className="text-muted">Signed by</dt>
            <dd className="font-mono text-xs">{bundle.keyId}</dd>
            <dt className="text-muted">Policies</dt>
            <dd>
              <Link href="/policies" className="text-accent underline">
                {formatNumber(bundle.policies)} enabled
              </Link>
            </dd>
            <dt className="text-muted">Exceptions</dt>
            <dd>{formatNumber(bundle.exceptions)} active</dd>
            <dt className="text-muted">Trusted registries</dt>
            <dd>{formatNumber(bundle.trustedRegistries)}</dd>
            <dt className="text-muted">Allowed deployers</dt>
            <dd>
              <Link href="/settings/allowed-deployers" className="text-accent underline">
                {bundle.allowedDeployerRules === 0 ? "none (policy off)" : `${formatNumber(bundle.allowedDeployerRules)} namespace ${bundle.allowedDeployerRules === 1 ? "rule" : "rules"}`}
              </Link>
            </dd>
          </dl>
          <p className="mt-3 text-xs text-muted">
            A new version is signed whenever enabled policies, exceptions, trusted registries or allowed deployers change. Enforcement points long-poll for it and
            switch within seconds.
          </p>
        </>
      )}
    </div>
  );
}
