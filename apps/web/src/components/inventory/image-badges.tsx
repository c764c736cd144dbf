import { StatusBadge } from "../enforcement/status-badge.tsx";

export function SignatureBadge({ verified }: { verified: boolean | null }) {
  if (verified === null) return <StatusBadge tone="muted" label="Unknown" title="No registry connector reported a signature check" />;
  return verified ? <StatusBadge tone="ok" label="Verified" /> : <StatusBadge tone="danger" label="Not verified" />;
}

export function MalwareBadge({ verdict }: { verdict: string | null }) {
  if (!verdict) return <StatusBadge tone="muted" label="Unknown" title="No malware verdict reported" />;
  if (verdict === "clean") return <StatusBadge tone="ok" label="Clean" />;
  if (verdict === "malicious") return <StatusBadge tone="danger" label="Malicious" />;
  return <StatusBadge tone="warn" label={verdict} />;
}
