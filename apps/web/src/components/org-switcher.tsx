"use client";

import { useRef } from "react";

export function OrgSwitcher({ orgs, currentOrgId, action }: { orgs: { orgId: string; name: string }[]; currentOrgId: string; action: (fd: FormData) => Promise<void> }) {
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={action} className="flex items-center gap-2">
      <label htmlFor="org-switcher" className="text-sm text-muted">
        Organization
      </label>
      <select id="org-switcher" name="orgId" defaultValue={currentOrgId} className="input w-auto py-1" onChange={() => form.current?.requestSubmit()}>
        {orgs.map((o) => (
          <option key={o.orgId} value={o.orgId}>
            {o.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="btn">
          Switch
        </button>
      </noscript>
    </form>
  );
}
