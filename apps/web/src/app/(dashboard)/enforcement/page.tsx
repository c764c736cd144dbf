import { getEnforcementBundle, getPublicSigningKey, listEnforcementPoints, type OrgContext } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { BundleCard, type BundleSummary } from "../../../components/enforcement/bundle-card.tsx";
import { EnforcementTabs } from "../../../components/enforcement/enforcement-tabs.tsx";
import { publicKeyFingerprint } from "../../../components/enforcement/fingerprint.ts";
import { PointsTable, type EnforcementPointItem } from "../../../components/enforcement/points-table.tsx";
import { PublicKeyCard, type SigningKeySummary } from "../../../components/enforcement/public-key-card.tsx";
import { classifyDrift, classifyHealth } from "../../../components/enforcement/status.ts";
import { env } from "../../../env.ts";
import { db } from "../../../server/db.ts";
import { logger } from "../../../server/logger.ts";
import { requirePage } from "../../../server/org-context.ts";

export const metadata: Metadata = { title: "Enforcement" };

// Bundle and key failures (e.g. an unreadable signing key) are shown in their own card: the list of
// enforcement points is still worth seeing when they happen.

async function currentBundle(ctx: OrgContext): Promise<BundleSummary | null> {
  try {
    const answer = await getEnforcementBundle(db(), ctx, env().keySecret, { log: logger() });
    if (!answer.modified) return null;
    const b = answer.bundle;
    return {
      version: b.version,
      createdAt: b.createdAt,
      contentHash: b.contentHash,
      keyId: b.keyId,
      policies: b.content.policies.length,
      exceptions: b.content.exceptions.length,
      trustedRegistries: b.content.settings.trustedRegistries.length,
      allowedDeployerRules: b.content.settings.allowedDeployers.length,
    };
  } catch (err) {
    logger().error({ err }, "enforcement page: could not build the current bundle");
    return null;
  }
}

async function signingKey(): Promise<SigningKeySummary | null> {
  try {
    const k = await getPublicSigningKey(db(), env().keySecret, logger());
    const fingerprint = await publicKeyFingerprint(k.publicKey).catch(() => null);
    return { keyId: k.keyId, algorithm: k.algorithm, publicKey: k.publicKey, createdAt: k.createdAt.toISOString(), fingerprint };
  } catch (err) {
    logger().error({ err }, "enforcement page: could not read the signing key");
    return null;
  }
}

function Summary({ points, currentVersion, now }: { points: EnforcementPointItem[]; currentVersion: number | null; now: Date }) {
  const healthy = points.filter((p) => classifyHealth(p.lastHeartbeatAt, now).state === "healthy").length;
  const current = points.filter((p) => classifyDrift(p.bundleVersion, currentVersion).state === "current").length;
  return (
    <p className="px-4 pt-1 text-sm text-muted" data-testid="points-summary">
      {points.length} {points.length === 1 ? "point" : "points"}: {healthy} healthy, {current} on the current bundle.
    </p>
  );
}

export default async function EnforcementPage() {
  const { ctx } = await requirePage();
  const [bundle, key, points] = await Promise.all([currentBundle(ctx), signingKey(), listEnforcementPoints(db(), ctx)]);
  const now = new Date();
  const serverUrl = env().NEXTAUTH_URL.replace(/\/+$/, "");

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div className="space-y-3">
        <div>
          <h1 id="page-title" className="text-2xl font-semibold">
            Enforcement
          </h1>
          <p className="text-sm text-muted">
            Admission webhooks in your clusters enforce the signed policy bundle and report every decision back. Health is judged from heartbeats: healthy under 2
            minutes, stale under 10, down after that.
          </p>
        </div>
        <EnforcementTabs current="/enforcement" />
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <BundleCard bundle={bundle} />
        <PublicKeyCard signingKey={key} />
      </div>

      <div className="card overflow-x-auto p-0">
        <h2 className="px-4 pt-4 font-semibold">Enforcement points</h2>
        {points.length === 0 ? (
          <div className="px-4 pt-2 pb-4 text-sm" data-testid="points-empty">
            <p className="text-muted">
              No enforcement point has reported yet. An enforcement point appears here with its first heartbeat, and its admission decisions show up under{" "}
              <Link href="/enforcement/decisions" className="text-accent underline">
                Admission decisions
              </Link>
              . Follow the steps below to deploy one.
            </p>
          </div>
        ) : (
          <>
            <Summary points={points} currentVersion={bundle?.version ?? null} now={now} />
            <div className="mt-2">
              <PointsTable points={points} currentVersion={bundle?.version ?? null} now={now} />
            </div>
          </>
        )}
      </div>

      <div className="card" data-testid="install-hint">
        <h2 className="font-semibold">Deploy an enforcement point</h2>
        <ol className="mt-2 list-decimal space-y-2 pl-5 text-sm">
          <li>
            An admin creates a token with the <code className="rounded bg-surface-2 px-1">enforcement</code> scope on the{" "}
            <Link href="/connectors" className="text-accent underline">
              Connectors
            </Link>{" "}
            page, bound to the cluster it will guard.
          </li>
          <li>
            Apply the reference enforcer&apos;s manifests from <code className="rounded bg-surface-2 px-1">deploy/enforcer/</code> in the Bulwark repository
            (Deployment, Service, ValidatingWebhookConfiguration and the token Secret); <code className="rounded bg-surface-2 px-1">docs/enforcer.md</code> walks
            through the settings. Point it at <code className="rounded bg-surface-2 px-1 break-all">{serverUrl}</code> and give it the public key above.
          </li>
          <li>
            Choose its failure policy: fail closed refuses admissions while it has no verified bundle, fail open lets them through (and Bulwark flags workloads
            deployed without an admission decision).
          </li>
          <li>The point shows up in the table above after its first heartbeat, with the bundle version it runs.</li>
        </ol>
        <p className="mt-3 text-xs text-muted">
          Clusters can also send AdmissionReview requests straight to <code className="break-all">{serverUrl}/api/v1/admission/review</code>; see the{" "}
          <Link href="/docs/api" className="text-accent underline">
            API reference
          </Link>
          .
        </p>
      </div>
    </section>
  );
}
