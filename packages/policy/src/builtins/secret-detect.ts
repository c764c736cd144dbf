import { maskSecret } from "../engine/mask.ts";

// Literal credentials in environment values. Two kinds of evidence, tuned for few false positives:
// - the value has the shape of a known credential (provider key formats, private keys, JWTs,
//   passwords in URLs), whatever the variable is called;
// - the variable is named like a secret (…_PASSWORD, …_TOKEN, …_API_KEY) and the value looks
//   generated: long enough, varied enough (Shannon entropy), and not a placeholder, reference,
//   number, boolean, path or plain identifier.
// Every pattern is compiled once at load; the common case (a short config value) costs a length
// check and one scan of the value by a combined hint expression.

export interface SecretFinding {
  /** What was recognized, e.g. "GitHub token". */
  kind: string;
  /** The value with the secret masked, safe to show. */
  masked: string;
}

interface FormatDetector {
  kind: string;
  re: RegExp;
  /** Reject matches with little variety (`AKIAXXXXXXXXXXXXXXXX`, `ghp_000…`): documentation placeholders. */
  minEntropy: number;
}

const FORMATS: readonly FormatDetector[] = [
  { kind: "AWS access key id", re: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/, minEntropy: 3 },
  { kind: "GitHub token", re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})(?![A-Za-z0-9_])/, minEntropy: 3 },
  { kind: "Slack token", re: /(?<![A-Za-z0-9-])(?:xox[abposr]-[0-9]{6,}-[A-Za-z0-9-]{8,}|xapp-[0-9]-[A-Za-z0-9]{6,}-[0-9]+-[A-Za-z0-9]{16,})/, minEntropy: 3 },
  { kind: "Slack webhook URL", re: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{16,}/, minEntropy: 3 },
  { kind: "Stripe live key", re: /(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{16,}/, minEntropy: 3 },
  { kind: "private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, minEntropy: 0 },
  { kind: "Google API key", re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/, minEntropy: 3 },
  { kind: "JSON Web Token", re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,1024}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, minEntropy: 3 },
];
/** Longer values (no credential is that long; PEM bundles of a few keys are) are judged on their start. */
const MAX_SCAN_LENGTH = 16_384;
/** The shortest format above (an AWS key id) has 20 characters. */
const FORMAT_MIN_LENGTH = 20;
/** One scan that every format above needs to match: most values fail it and skip the loop. */
const FORMAT_HINT = /AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|xapp-|hooks\.slack\.com|[rs]k_live_|PRIVATE KEY|AIza|eyJ/;
/**
 * scheme://user:password@host; the user may be empty (`redis://:pw@host`). Bounded repeats keep the
 * work per start position constant, so a hostile megabyte of `aaaa…@` stays linear.
 */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]{0,31}:\/\/[^\s/?#@:]{0,256}:)([^\s/?#@]{1,1024})@([^\s/?#@]{1,253})/i;

// Secret-like names, judged by how the name ENDS so `PASSWORD_MIN_LENGTH`, `TOKEN_TTL` and
// `SECRET_NAME` are configuration, not secrets. An encoding suffix (`_B64`, `_VALUE`) is allowed.
const ENCODING_SUFFIX = String.raw`(?:[_.-]?(?:value|b64|base64|hex|raw|plain|plaintext|str|string|base))?$`;
/** Passwords are chosen by people: any non-placeholder value of some length counts. */
const PASSWORD_NAME = new RegExp(String.raw`(?:password|passwd|passphrase|(?:^|[_.-])(?:pass|pwd|pw))${ENCODING_SUFFIX}`, "i");
const KEY_QUALIFIERS = "api|access|private|secret|signing|encryption|decryption|master|session|auth|client|account|service|app|admin|root|hmac|jwt|webhook|shared|storage|cipher|crypt|license";
/** Keys, tokens, secrets: machine-generated, so the value must also look random. */
const SECRET_NAME = new RegExp(String.raw`(?:secret|token|credentials?|creds|(?:${KEY_QUALIFIERS})[_.-]?key)${ENCODING_SUFFIX}`, "i");
const AWS_NAME = /aws/i;
const AWS_SECRET_NAME = /secret/i;
const AWS_SECRET_VALUE = /^[A-Za-z0-9/+]{40}$/;

const PASSWORD_MIN_LENGTH = 6;
const PASSWORD_MIN_ENTROPY = 2.3;
const SECRET_MIN_LENGTH = 12;
/** Bits per character: random base64/hex of this length sits well above 3.3; words and names below. */
const SECRET_MIN_ENTROPY = 3.0;

// Values that are not literal secrets even under a secret-like name.
const REFERENCE = /\$\(|\$\{|\{\{|%\(|^\$[A-Za-z_]|^<.*>$|^\[.*\]$|^%[^%]+%$/;
const BOOLEAN = /^(?:true|false|yes|no|on|off|y|n|enabled?|disabled?|none|null|nil|empty|undefined|required|optional)$/i;
const NUMBER_OR_QUANTITY = /^[+-]?\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y|[kKMGTPE]i?|[kKMGTPE]?[bB])?$/;
const PATH = /^(?:~?\/|\.\.?\/|[A-Za-z]:\\)/;
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const PLACEHOLDER = /^(?:x+|\*+|\.+|-+|_+|#+|0+|1234\d*|changeme|change[-_.]?me|changeit|change[-_.]?this|password|passwd|pass|secret|token|example|sample|placeholder|redacted|dummy|fake|mock|test|testing|todo|tbd|fixme|default|replace[-_.]?me|insert[-_.]?here|your[-_.].*|my[-_.]?(?:password|secret|token|key)|none|null|<.*>)$/i;
/** Lower-case words joined by -, _ or .: a resource or key name (`my-tls-secret`), not a generated value. */
const IDENTIFIER = /^[a-z][a-z0-9]*(?:[-._][a-z][a-z0-9]*)+$/;

// Entropy counts per UTF-16 code unit, reused across calls (single-threaded, never re-entered).
const counts = new Uint16Array(65_536);
/** Longer values are judged on their first part; the counters cannot overflow. */
const ENTROPY_MAX_CHARS = 4096;

/** Shannon entropy of `s` in bits per character. */
export function shannonEntropy(s: string): number {
  const n = Math.min(s.length, ENTROPY_MAX_CHARS);
  if (n === 0) return 0;
  for (let i = 0; i < n; i++) counts[s.charCodeAt(i)]! += 1;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const code = s.charCodeAt(i);
    const k = counts[code]!;
    if (k === 0) continue;
    const p = k / n;
    h -= p * Math.log2(p);
    counts[code] = 0;
  }
  return h;
}

function isNotSecretValue(value: string): boolean {
  return REFERENCE.test(value) || BOOLEAN.test(value) || NUMBER_OR_QUANTITY.test(value) || PATH.test(value) || URL.test(value) || PLACEHOLDER.test(value);
}

function fromFormats(value: string): SecretFinding | undefined {
  for (const f of FORMATS) {
    const m = f.re.exec(value);
    if (m !== null && (f.minEntropy === 0 || shannonEntropy(m[0]) >= f.minEntropy)) return { kind: f.kind, masked: maskSecret(value) };
  }
  return undefined;
}

function fromUrl(value: string): SecretFinding | undefined {
  const url = URL_CREDENTIALS.exec(value);
  if (url !== null) {
    const password = url[2] ?? "";
    if (!REFERENCE.test(password) && !PLACEHOLDER.test(password)) {
      // Only scheme://user:<masked>@host is shown: the path and query may hold more secrets.
      return { kind: "password in a URL", masked: `${url[1] ?? ""}${maskSecret(password)}@${url[3] ?? ""}` };
    }
  }
  return undefined;
}

/**
 * Whether an environment variable holds a literal credential, and what kind. Values from `valueFrom`
 * never reach this function: only literal `value`s are judged.
 */
export function detectSecret(name: string, clear: string): SecretFinding | undefined {
  if (clear.length < PASSWORD_MIN_LENGTH) return undefined;
  // Manifests are untrusted: a huge value is judged on its beginning, so scanning time stays bounded.
  const value = clear.length > MAX_SCAN_LENGTH ? clear.slice(0, MAX_SCAN_LENGTH) : clear;
  if (value.length >= FORMAT_MIN_LENGTH && FORMAT_HINT.test(value)) {
    const found = fromFormats(value);
    if (found !== undefined) return found;
  }
  // Plenty of values are URLs; only those with an `@` can carry credentials.
  if (value.includes("@")) {
    const found = fromUrl(value);
    if (found !== undefined) return found;
  }
  const password = PASSWORD_NAME.test(name);
  if (!password && (value.length < SECRET_MIN_LENGTH || !SECRET_NAME.test(name))) return undefined;
  if (isNotSecretValue(value)) return undefined;
  const entropy = shannonEntropy(value);
  if (password) return entropy >= PASSWORD_MIN_ENTROPY ? { kind: "password", masked: maskSecret(value) } : undefined;
  if (AWS_NAME.test(name) && AWS_SECRET_NAME.test(name) && AWS_SECRET_VALUE.test(value) && entropy >= 3.5) {
    return { kind: "AWS secret access key", masked: maskSecret(value) };
  }
  // Generated secrets have no spaces; sentences and word-like identifiers are descriptions or names.
  if (entropy < SECRET_MIN_ENTROPY || value.includes(" ") || IDENTIFIER.test(value)) return undefined;
  return { kind: "secret", masked: maskSecret(value) };
}
