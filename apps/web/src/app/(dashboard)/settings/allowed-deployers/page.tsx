import { getPolicy, hasRole, listAllowedDeployers, type OrgContext } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, titleCase } from "../../../../components/format.ts";
import { StatusBadge } from "../../../../components/enforcement/status-badge.tsx";
import { db } from "../../../../server/db.ts";
import { logger } from "../../../../server/logger.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { DeployerForm } from "./deployer-form.tsx";
import { RemoveDeployerButton } from "./remove-deployer-button.tsx";

export const metadata: Metadata = { title: "Allowed deployers" };

const DEPLOYER_POLICY_KEY = "unauthorized-deployer";

/** The built-in policy's current state, for the explanation; the list is useful without it. */
async function deployerPolicy(ctx: OrgContext): Promise<{ enabled: boolean; enforcement: string } | null> {
  try {
    const p = await getPolicy(db(), ctx, DEPLOYER_POLICY_KEY);
    return { enabled: p.enabled, enforcement: p.enforcement };
  } catch (err) {
    logger().warn({ err }, "allowed deployers page: could not read the unauthorized-deployer policy");
    return null;
  }
}

export default async function AllowedDeployersPage() {
  const { ctx, current } = await requirePage();
  const isAdmin = hasRole(current.role, "ADMIN");
  const [deployers, policy] = await Promise.all([listAllowedDeployers(db(), ctx), deployerPolicy(ctx)]);
  const active = deployers.length > 0 && policy?.enabled !== false;

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/settings" className="text-accent underline">
            Settings
          </Link>
        </p>
        <h1 id="page-title" className="text-2xl font-semibold">
          Allowed deployers
        </h1>
        <p className="max-w-3xl text-sm text-muted">
          Who may create or update workloads at admission, per namespace. The built-in policy{" "}
          <code className="rounded bg-surface-2 px-1">{DEPLOYER_POLICY_KEY}</code> (MITRE ATT&amp;CK T1610, deploy container) checks every admission request
          against this list; it is part of the signed bundle enforcement points run.
        </p>
      </div>

      <div className="card max-w-3xl text-sm" data-testid="deployer-policy-state">
        <p className="flex flex-wrap items-center gap-2">
          <span className="font-medium">Policy state:</span>
          {deployers.length === 0 ? (
            <StatusBadge tone="muted" label="Off: the list is empty" />
          ) : policy?.enabled === false ? (
            <StatusBadge tone="muted" label="Off: the policy is disabled" />
          ) : (
            <StatusBadge tone="ok" label={policy ? `On (${titleCase(policy.enforcement)})` : "On"} />
          )}
        </p>
        <p className="mt-2 text-muted">
          While the list is empty the policy judges nothing. Once it has one entry, a workload created or updated in <strong className="text-fg">any</strong>{" "}
          namespace must come from a subject listed for that namespace or for <code>*</code>; everyone else fails the policy. Add your CD pipeline and cluster
          operators for <code>*</code> first. Pods that controllers create for an admitted Deployment, StatefulSet, Job and so on are attributed to it.
        </p>
        {active && policy?.enforcement === "ENFORCE" ? (
          <p className="mt-2 font-medium text-warn">Enforcement is ENFORCE: requests from unlisted subjects are denied (unless a cluster overrides the mode).</p>
        ) : null}
        <p className="mt-2">
          <Link href="/policies" className="text-accent underline">
            Policies
          </Link>{" "}
          set its enforcement mode (audit, warn, enforce) per cluster.
        </p>
      </div>

      {isAdmin ? <DeployerForm /> : null}

      <div className="card overflow-x-auto p-0">
        <h2 className="px-4 pt-4 font-semibold">Allowed deployers</h2>
        {!isAdmin ? <p className="px-4 pt-1 text-sm text-muted">Only administrators can change this list.</p> : null}
        {deployers.length === 0 ? (
          <p className="px-4 pt-2 pb-4 text-sm text-muted" data-testid="deployers-empty">
            No allowed deployers: the {DEPLOYER_POLICY_KEY} policy is off.
          </p>
        ) : (
          <table className="table mt-2" data-testid="allowed-deployers-table">
            <thead>
              <tr>
                <th scope="col">Namespace</th>
                <th scope="col">Subject</th>
                <th scope="col">Note</th>
                <th scope="col">Added</th>
                <th scope="col">Added by</th>
                {isAdmin ? <th scope="col">Manage</th> : null}
              </tr>
            </thead>
            <tbody>
              {deployers.map((d) => (
                <tr key={d.id} data-testid="deployer-row">
                  <td className="font-mono text-xs">{d.namespace === "*" ? <span title="every namespace">* (all)</span> : d.namespace}</td>
                  <th scope="row" className="text-left align-top font-mono text-xs font-normal tracking-normal break-all text-fg normal-case">
                    {d.subject}
                  </th>
                  <td>{d.note ?? <span className="text-muted">—</span>}</td>
                  <td className="whitespace-nowrap">{formatDateTime(d.createdAt)}</td>
                  <td>{d.createdBy?.email ?? <span className="text-muted">—</span>}</td>
                  {isAdmin ? (
                    <td>
                      <RemoveDeployerButton id={d.id} subject={d.subject} namespace={d.namespace} last={deployers.length === 1} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
