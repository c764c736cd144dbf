import { getPolicy, hasRole } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, titleCase } from "../../../../components/format.ts";
import { EnabledBadge, EnforcementBadge, KindBadge, SeverityBadge } from "../../../../components/policies/badges.tsx";
import { PolicyActions } from "../../../../components/policies/policy-actions.tsx";
import { ClusterEnforcementView, RuleView, ScopeView } from "../../../../components/policies/rule-view.tsx";
import { VersionHistory } from "../../../../components/policies/version-history.tsx";
import { db } from "../../../../server/db.ts";
import { requirePage } from "../../../../server/org-context.ts";
import { orNotFound } from "../data.ts";

type Props = { params: Promise<{ key: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { key } = await params;
  return { title: `Policy ${key}` };
}

function mitreUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace(".", "/")}/`;
}

function Card({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="card space-y-2" data-testid={testId} aria-label={title}>
      <h2 className="font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function Prose({ text }: { text: string | undefined }) {
  return text ? <p className="text-sm whitespace-pre-wrap">{text}</p> : <p className="text-sm text-muted">—</p>;
}

export default async function PolicyPage({ params }: Props) {
  const { key } = await params;
  const { ctx, current } = await requirePage();
  const isAdmin = hasRole(current.role, "ADMIN");
  const policy = await orNotFound(getPolicy(db(), ctx, key));
  const def = policy.definition;

  return (
    <section aria-labelledby="page-title" className="space-y-4" data-testid="policy-detail">
      <nav aria-label="Breadcrumb" className="text-sm text-muted">
        <Link href="/policies" className="hover:underline">
          Policies
        </Link>{" "}
        / <span className="font-mono">{policy.key}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 id="page-title" className="text-2xl font-semibold">
            {policy.name}
          </h1>
          <p className="mt-1 flex flex-wrap items-center gap-2">
            <code className="font-mono text-sm text-muted">{policy.key}</code>
            <KindBadge builtin={policy.builtin} />
            <SeverityBadge severity={policy.severity} />
            <EnforcementBadge mode={policy.enforcement} />
            <EnabledBadge enabled={policy.enabled} />
            <span className="text-xs text-muted">v{policy.currentVersion}</span>
          </p>
          {policy.description ? <p className="mt-2 max-w-3xl text-sm">{policy.description}</p> : null}
        </div>
        <PolicyActions policyKey={policy.key} name={policy.name} builtin={policy.builtin} isAdmin={isAdmin} definition={def} />
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Details">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted">Category</dt>
            <dd>{policy.category}</dd>
            <dt className="text-muted">Stages</dt>
            <dd>{policy.stages.map((s) => titleCase(s)).join(", ")}</dd>
            <dt className="text-muted">MITRE ATT&amp;CK</dt>
            <dd>
              {def.mitre && def.mitre.length > 0
                ? def.mitre.map((m, i) => (
                    <span key={m}>
                      {i > 0 ? ", " : ""}
                      <a href={mitreUrl(m)} target="_blank" rel="noreferrer" className="font-mono text-accent underline">
                        {m}
                      </a>
                    </span>
                  ))
                : "—"}
            </dd>
            <dt className="text-muted">Threats</dt>
            <dd>{def.threats && def.threats.length > 0 ? def.threats.join(", ") : "—"}</dd>
            <dt className="text-muted">Created</dt>
            <dd>{formatDateTime(policy.createdAt)}</dd>
            <dt className="text-muted">Updated</dt>
            <dd>{formatDateTime(policy.updatedAt)}</dd>
          </dl>
        </Card>
        <Card title="Enforcement" testId="enforcement-view">
          <p className="text-sm">
            Default: <EnforcementBadge mode={policy.enforcement} />
          </p>
          <ClusterEnforcementView enforcement={policy.enforcement} clusterEnforcement={def.clusterEnforcement} />
        </Card>
        <Card title="Rationale">
          <Prose text={def.rationale} />
        </Card>
        <Card title="Remediation">
          <Prose text={def.remediation} />
        </Card>
        <Card title="Rule" testId="rule-view">
          {def.rule ? <RuleView rule={def.rule} /> : <RuleView rule={{ type: "builtin", id: policy.key }} />}
        </Card>
        <Card title="Scope and exclusions">
          <ScopeView scope={def.scope} exclusions={def.exclusions} />
        </Card>
      </div>

      <Card title="Version history" testId="version-history">
        <VersionHistory
          policyKey={policy.key}
          currentVersion={policy.currentVersion}
          currentDefinition={def}
          canRevert={isAdmin}
          versions={policy.versions.map((v) => ({ version: v.version, message: v.message, authorEmail: v.authorEmail, createdAt: v.createdAt.toISOString() }))}
        />
      </Card>
    </section>
  );
}
