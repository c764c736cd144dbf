// Evidence leaves the engine in findings, admission responses, CI logs and SARIF files, so a secret
// that a manifest hard-codes must never appear in clear. Pure string functions, no crypto: the engine
// also runs in browsers and at the edge.

const MASK = "********";
/** Below this length even a prefix gives away too much of the value. */
const MIN_LENGTH_FOR_PREFIX = 12;
const PREFIX_LENGTH = 4;

/**
 * Masks a secret value for display: short values become `********`, longer ones keep their first four
 * characters (enough to tell an `AKIA…` key from a `ghp_…` token) followed by `********`. The mask has a
 * fixed width so it does not leak the length either.
 */
export function maskSecret(value: string): string {
  if (value.length < MIN_LENGTH_FOR_PREFIX) return MASK;
  return value.slice(0, PREFIX_LENGTH) + MASK;
}

// Well-known credential shapes, masked wherever they appear in an evidence string. Each pattern is
// anchored on a distinctive prefix so ordinary text (image names, paths) is left alone.
const TOKEN_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bsk_(?:live|test)_[A-Za-z0-9]{16,}\b/g, // Stripe
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, // JWTs
  /\bbwk_[A-Za-z0-9_-]{20,}\b/g, // Bulwark API tokens
];

// `password=…`, `token: …`, `"secret": "…"`: the value after a secret-sounding key.
const KEY_VALUE = /((?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth)(?:[_-][A-Za-z0-9_-]*)?["']?\s*[:=]\s*["']?)([^\s"',;&]+)/gi;
// Credentials in URLs: scheme://user:password@host.
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)([^\s/@]+)(@)/gi;

/**
 * Masks every recognizable secret inside a free-form evidence string. The engine runs it over all
 * evidence (built-in, criteria and CEL alike) as a last line of defence; checks that know a value is
 * secret should still call `maskSecret` on it themselves.
 */
export function maskSecretsIn(text: string): string {
  let out = text;
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, (m) => maskSecret(m));
  out = out.replace(URL_CREDENTIALS, (_m, head: string, secret: string, at: string) => `${head}${secret === MASK || secret.endsWith(MASK) ? secret : maskSecret(secret)}${at}`);
  out = out.replace(KEY_VALUE, (_m, head: string, secret: string) => `${head}${secret.endsWith(MASK) ? secret : maskSecret(secret)}`);
  return out;
}

// Names that mark an environment variable, annotation or key as holding a secret.
const SECRET_NAME = /(?:^|[_.-])(?:pass(?:word|wd)?|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth|passphrase|client[_-]?secret)(?:$|[_.-])/i;

/** True for names like `DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`, `client-secret`. */
export function isSecretName(name: string): boolean {
  // camelCase → snake so `apiKey`/`dbPassword` match the same rule as `API_KEY`/`DB_PASSWORD`.
  return SECRET_NAME.test(name.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
}
