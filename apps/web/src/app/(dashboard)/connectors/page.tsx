import { hasRole, listApiTokens, listReports, type ApiTokenSummary } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, formatNumber, titleCase } from "../../../components/format.ts";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";
import { RevokeButton } from "./revoke-button.tsx";
import { TokenForm } from "./token-form.tsx";

export const metadata: Metadata = { title: "Connectors" };

function tokenStatus(t: ApiTokenSummary, now: Date): string {
  if (t.revokedAt) return "Revoked";
  if (t.expiresAt && t.expiresAt <= now) return "Expired";
  return "Active";
}

function countsText(counts: unknown): string {
  if (!counts || typeof counts !== "object") return "—";
  const parts = Object.entries(counts as Record<string, unknown>)
    .filter(([, v]) => typeof v === "number" && v > 0)
    .map(([k, v]) => `${formatNumber(v as number)} ${k}`);
  return parts.length > 0 ? parts.join(", ") : "—";
}

export default async function ConnectorsPage() {
  const { ctx, current } = await requirePage();
  const isAdmin = hasRole(current.role, "ADMIN");
  const [tokens, reports] = await Promise.all([isAdmin ? listApiTokens(db(), ctx) : Promise.resolve(null), listReports(db(), ctx, { limit: 20 })]);
  const now = new Date();

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          Connectors
        </h1>
        <p className="text-sm text-muted">
          Clusters, scanners and registries send their tools&apos; own output to Bulwark with a scoped token. See the{" "}
          <Link href="/docs/api" className="text-accent underline">
            API reference
          </Link>
          .
        </p>
      </div>

      {isAdmin ? <TokenForm /> : null}

      <div className="card overflow-x-auto p-0">
        <h2 className="px-4 pt-4 font-semibold">API tokens</h2>
        {tokens === null ? (
          <p className="px-4 pt-2 pb-4 text-sm text-muted">Only administrators can see and manage API tokens.</p>
        ) : tokens.length === 0 ? (
          <p className="px-4 pt-2 pb-4 text-sm text-muted">No tokens yet. Create one above to connect a cluster or scanner.</p>
        ) : (
          <table className="table mt-2" data-testid="tokens-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Scopes</th>
                <th scope="col">Cluster</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">Manage</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => {
                const status = tokenStatus(t, now);
                return (
                  <tr key={t.id} data-testid="token-row">
                    <td>{t.name}</td>
                    <td className="font-mono text-xs">{t.prefix}…</td>
                    <td className="text-xs">{t.scopes.join(", ")}</td>
                    <td>{t.clusterName ?? t.registryName ?? "—"}</td>
                    <td className="whitespace-nowrap">{formatDateTime(t.createdAt)}</td>
                    <td className="whitespace-nowrap">{formatDateTime(t.lastUsedAt)}</td>
                    <td className="whitespace-nowrap">
                      {status}
                      {status === "Active" && t.expiresAt ? <span className="block text-xs text-muted">until {formatDateTime(t.expiresAt)}</span> : null}
                    </td>
                    <td>{status === "Revoked" ? null : <RevokeButton id={t.id} name={t.name} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>

      <div className="card overflow-x-auto p-0">
        <h2 className="px-4 pt-4 font-semibold">Recent reports</h2>
        {reports.length === 0 ? (
          <p className="px-4 pt-2 pb-4 text-sm text-muted">No reports received yet.</p>
        ) : (
          <table className="table mt-2" data-testid="reports-table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Stored</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id}>
                  <td>{titleCase(r.kind)}</td>
                  <td className="max-w-72 truncate font-mono text-xs" title={r.subject ?? undefined}>
                    {r.subject ?? "—"}
                  </td>
                  <td>
                    {titleCase(r.status)}
                    {r.status === "FAILED" && r.error ? <span className="block text-xs text-danger">{r.error}</span> : null}
                  </td>
                  <td className="text-xs">{countsText(r.counts)}</td>
                  <td className="whitespace-nowrap">{formatDateTime(r.receivedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
