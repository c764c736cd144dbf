import { SignOutButton } from "./sign-out-button.tsx";
import { titleCase } from "./format.ts";

export function UserMenu({ email, name, role }: { email: string; name: string | null; role: string }) {
  return (
    <details className="relative" data-testid="user-menu">
      <summary className="btn cursor-pointer list-none" aria-label={`${name ?? email}, account menu${name ? ` (${email})` : ""}`}>
        <span className="max-w-48 truncate">{name ?? email}</span>
        <span aria-hidden="true">▾</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-border bg-surface p-3 shadow-lg">
        <p className="truncate text-sm font-medium" data-testid="user-email">
          {email}
        </p>
        <p className="mt-0.5 text-xs text-muted">
          Role: <span data-testid="user-role">{titleCase(role)}</span>
        </p>
        <div className="mt-3 border-t border-border pt-3">
          <SignOutButton className="btn w-full" />
        </div>
      </div>
    </details>
  );
}
