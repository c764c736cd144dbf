import { hasRole, listMembers, ROLES } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, titleCase } from "../../../components/format.ts";
import { db } from "../../../server/db.ts";
import { requirePage } from "../../../server/org-context.ts";
import { InviteForm } from "./invite-form.tsx";
import { MemberControls } from "./member-controls.tsx";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { ctx, current, user } = await requirePage();
  const { members, invitations } = await listMembers(db(), ctx);
  const isAdmin = hasRole(current.role, "ADMIN");
  // Admins cannot grant the owner role (the use case refuses it); offering it would only produce errors.
  const grantable = ROLES.filter((r) => r !== "OWNER" || current.role === "OWNER");

  return (
    <section aria-labelledby="page-title" className="space-y-6">
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          Settings
        </h1>
        <p className="text-sm text-muted">Members and invitations of {current.name}.</p>
      </div>

      <nav aria-label="Settings sections" className="card text-sm" data-testid="settings-sections">
        <Link href="/settings/allowed-deployers" className="font-medium text-accent underline">
          Allowed deployers
        </Link>
        <span className="text-muted"> · who may create or update workloads per namespace (policy unauthorized-deployer, T1610)</span>
        <br />
        <Link href="/settings/notifications" className="font-medium text-accent underline">
          Notifications
        </Link>
        <span className="text-muted"> · where alerts go (webhook, Slack, email), routing, test-sends and the delivery log</span>
      </nav>

      {isAdmin ? <InviteForm roles={[...grantable]} /> : null}

      <div className="card overflow-x-auto p-0">
        <h2 className="px-4 pt-4 font-semibold">Members</h2>
        <table className="table mt-2" data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Last sign-in</th>
              {isAdmin ? <th scope="col">Manage</th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const canManage = isAdmin && (m.role !== "OWNER" || current.role === "OWNER");
              return (
                <tr key={m.membershipId}>
                  <td>
                    {m.email}
                    {m.userId === user.id ? <span className="ml-2 text-xs text-muted">(you)</span> : null}
                  </td>
                  <td>{m.name ?? "—"}</td>
                  <td>{titleCase(m.role)}</td>
                  <td className="whitespace-nowrap">{formatDateTime(m.lastLoginAt)}</td>
                  {isAdmin ? (
                    <td>
                      {canManage ? (
                        <MemberControls membershipId={m.membershipId} email={m.email} role={m.role} roles={[...grantable]} isSelf={m.userId === user.id} />
                      ) : (
                        <span className="text-xs text-muted">Only an owner can change an owner</span>
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <div className="card">
        <h2 className="font-semibold">Pending invitations</h2>
        {invitations.length === 0 ? (
          <p className="mt-2 text-sm text-muted">No pending invitations.</p>
        ) : (
          <table className="table mt-2" data-testid="invitations-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Invited</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{titleCase(i.role)}</td>
                  <td className="whitespace-nowrap">{formatDateTime(i.createdAt)}</td>
                  <td className="whitespace-nowrap">{formatDateTime(i.expiresAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
