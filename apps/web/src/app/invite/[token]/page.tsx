import { isAppError, previewInvitation } from "@bulwark/core";
import type { Metadata } from "next";
import Link from "next/link";
import { titleCase } from "../../../components/format.ts";
import { db } from "../../../server/db.ts";
import { AcceptForm } from "./accept-form.tsx";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let preview;
  try {
    preview = await previewInvitation(db(), token);
  } catch (err) {
    if (!isAppError(err) || err.code !== "NOT_FOUND") throw err;
    preview = null;
  }

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="card w-full max-w-md p-6">
        {preview ? (
          <>
            <h1 className="text-lg font-semibold">Join {preview.orgName} on Bulwark</h1>
            <dl className="mt-4 grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
              <dt className="text-muted">Organization</dt>
              <dd data-testid="invite-org">{preview.orgName}</dd>
              <dt className="text-muted">Role</dt>
              <dd data-testid="invite-role">{titleCase(preview.role)}</dd>
              <dt className="text-muted">Email</dt>
              <dd data-testid="invite-email">{preview.email}</dd>
            </dl>
            <div className="mt-6">
              <AcceptForm token={token} needsPassword={!preview.userExists} />
            </div>
          </>
        ) : (
          <>
            <h1 className="text-lg font-semibold">Invitation not valid</h1>
            <p className="mt-2 text-sm text-muted">This invitation link is invalid, was already used, or has expired. Ask an administrator for a new one.</p>
            <Link href="/signin" className="btn mt-4">
              Go to sign in
            </Link>
          </>
        )}
      </div>
    </main>
  );
}
