import type { ReactNode } from "react";
import { OrgSwitcher } from "../../components/org-switcher.tsx";
import { Sidebar } from "../../components/sidebar.tsx";
import { SignOutButton } from "../../components/sign-out-button.tsx";
import { ThemeToggle } from "../../components/theme-toggle.tsx";
import { UserMenu } from "../../components/user-menu.tsx";
import { getPageSession } from "../../server/org-context.ts";
import { switchOrganization } from "./actions.ts";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await getPageSession();

  if (session.kind === "no-org") {
    return (
      <main className="flex min-h-screen items-center justify-center p-6">
        <div className="card max-w-md" data-testid="no-organization">
          <h1 className="text-xl font-semibold">No organization yet</h1>
          <p className="mt-2 text-sm text-muted">
            You are signed in as <strong className="text-fg">{session.user.email}</strong>, but you are not a member of any organization. Ask an
            administrator of your organization to invite you; the invitation link adds you to it.
          </p>
          <div className="mt-4">
            <SignOutButton />
          </div>
        </div>
      </main>
    );
  }

  const { current, orgs, user } = session.page;
  return (
    <div className="flex min-h-screen">
      <Sidebar />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-4 border-b border-border bg-surface px-6">
          <div className="min-w-0">
            {orgs.length > 1 ? (
              <OrgSwitcher orgs={orgs.map((o) => ({ orgId: o.orgId, name: o.name }))} currentOrgId={current.orgId} action={switchOrganization} />
            ) : (
              <p className="truncate text-sm font-medium" data-testid="org-name">
                {current.name}
              </p>
            )}
          </div>
          <div className="flex items-center gap-2">
            <ThemeToggle />
            <UserMenu email={user.email} name={user.name} role={current.role} />
          </div>
        </header>
        <main className="flex-1 p-6">{children}</main>
      </div>
    </div>
  );
}
