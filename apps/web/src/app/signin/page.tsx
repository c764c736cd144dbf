import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { currentUserId, oidcEnabled } from "../../server/auth.ts";
import { safeCallbackPath, signInErrorMessage } from "../../lib/signin-errors.ts";
import { SignInForm } from "./signin-form.tsx";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const sp = await searchParams;
  const error = typeof sp.error === "string" ? sp.error : null;
  const callbackUrl = safeCallbackPath(typeof sp.callbackUrl === "string" ? sp.callbackUrl : null);
  if (!error && (await currentUserId())) redirect(callbackUrl);
  const sso = oidcEnabled();

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-2xl font-bold tracking-tight">Bulwark</p>
          <p className="mt-1 text-sm text-muted">Container security, from image to runtime</p>
        </div>
        <div className="card p-6">
          <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
          {sp.invited === "1" ? (
            <p className="mb-4 rounded-md border border-border bg-surface-2 p-2 text-sm" role="status">
              Invitation accepted. Sign in to continue.
            </p>
          ) : null}
          <SignInForm callbackUrl={callbackUrl} initialError={signInErrorMessage(error)} sso={sso} />
        </div>
      </div>
    </main>
  );
}
