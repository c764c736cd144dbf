import { CopyButton } from "../copy-button.tsx";
import { formatDateTime } from "../format.ts";
import { FINGERPRINT_COMMAND, type Fingerprint } from "./fingerprint.ts";

export interface SigningKeySummary {
  keyId: string;
  algorithm: string;
  publicKey: string;
  createdAt: string;
  fingerprint: Fingerprint | null;
}

export const PUBLIC_KEY_URL = "/api/v1/enforcement/public-key";

export function PublicKeyCard({ signingKey }: { signingKey: SigningKeySummary | null }) {
  return (
    <div className="card min-w-0" data-testid="public-key-card">
      <h2 className="font-semibold">Bundle signing key</h2>
      {signingKey === null ? (
        <p className="mt-2 text-sm text-danger" role="alert">
          The signing key could not be read. The server log has the reason.
        </p>
      ) : (
        <>
          <p className="mt-1 text-sm text-muted">
            Enforcement points verify every bundle with this Ed25519 public key and reject a bundle whose signature does not match. It is also served at{" "}
            <a href={PUBLIC_KEY_URL} className="font-mono text-xs text-accent underline">
              {PUBLIC_KEY_URL}
            </a>
            .
          </p>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted">Key id</dt>
            <dd className="font-mono text-xs" data-testid="public-key-id">
              {signingKey.keyId}
            </dd>
            <dt className="text-muted">Algorithm</dt>
            <dd>{signingKey.algorithm}</dd>
            <dt className="text-muted">Created</dt>
            <dd className="tabular-nums">{formatDateTime(signingKey.createdAt)}</dd>
            <dt className="text-muted">SHA-256 fingerprint</dt>
            <dd className="font-mono text-xs break-all" title={signingKey.fingerprint?.hex} data-testid="public-key-fingerprint">
              {signingKey.fingerprint?.short ?? "—"}
            </dd>
          </dl>
          <div className="mt-3 flex items-center justify-between gap-2">
            <h3 className="text-sm font-medium" id="public-key-pem-label">
              Public key (PEM)
            </h3>
            <CopyButton text={signingKey.publicKey} label="Copy key" />
          </div>
          <pre
            className="mt-1 overflow-x-auto rounded-md border border-border bg-surface-2 p-2 font-mono text-xs"
            data-testid="public-key"
            aria-labelledby="public-key-pem-label"
            tabIndex={0}
          >
            {signingKey.publicKey.trim()}
          </pre>
          <p className="mt-2 text-xs text-muted">
            Check a saved copy with <code className="break-all">{FINGERPRINT_COMMAND}</code>: the output starts with the fingerprint digits above (without colons).
          </p>
        </>
      )}
    </div>
  );
}
