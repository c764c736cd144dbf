// Messages for the `error` codes next-auth puts on the sign-in URL (or returns from signIn()).
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Invalid email or password.",
  RateLimited: "Too many sign-in attempts. Wait a few minutes, then try again.",
  SsoRejected: "Single sign-on was refused: the identity provider did not confirm a verified email address, or this account is disabled.",
  Unavailable: "Sign-in is temporarily unavailable. Try again in a moment.",
  SessionExpired: "Your session is no longer valid. Please sign in again.",
  OAuthSignin: "Single sign-on could not start. Try again, or sign in with your password.",
  OAuthCallback: "Single sign-on failed. Try again, or sign in with your password.",
  Callback: "Single sign-on failed. Try again, or sign in with your password.",
  AccessDenied: "Access was denied.",
};

export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return MESSAGES[code] ?? "Sign-in failed. Please try again.";
}

/** Only same-site paths: an attacker-chosen absolute URL must not become a post-login redirect. */
export function safeCallbackPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}
