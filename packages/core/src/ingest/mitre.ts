// MITRE ATT&CK ids used by Bulwark: validation, display names, and the small mapping tables that turn
// scanner checks and Falco rules into technique ids. Names follow ATT&CK v15 (Enterprise + Containers).

const TECHNIQUE_RE = /^T\d{4}(\.\d{3})?$/;

export function isTechniqueId(value: string): boolean {
  return TECHNIQUE_RE.test(value);
}

export const TECHNIQUE_NAMES: Readonly<Record<string, string>> = {
  T1059: "Command and Scripting Interpreter",
  T1068: "Exploitation for Privilege Escalation",
  T1078: "Valid Accounts",
  T1136: "Create Account",
  T1552: "Unsecured Credentials",
  "T1552.001": "Unsecured Credentials: Credentials In Files",
  "T1552.007": "Unsecured Credentials: Container API",
  T1555: "Credentials from Password Stores",
  T1609: "Container Administration Command",
  T1610: "Deploy Container",
  T1611: "Escape to Host",
  T1613: "Container and Resource Discovery",
};

/** Display name of a technique (falls back to the parent technique for sub-techniques). */
export function techniqueName(id: string): string | null {
  return TECHNIQUE_NAMES[id] ?? TECHNIQUE_NAMES[id.split(".")[0] ?? ""] ?? null;
}

/** Falco tags tactics as `mitre_<tactic>`; these are the ATT&CK tactic ids. */
export const TACTICS: Readonly<Record<string, { id: string; name: string }>> = {
  mitre_reconnaissance: { id: "TA0043", name: "Reconnaissance" },
  mitre_resource_development: { id: "TA0042", name: "Resource Development" },
  mitre_initial_access: { id: "TA0001", name: "Initial Access" },
  mitre_execution: { id: "TA0002", name: "Execution" },
  mitre_persistence: { id: "TA0003", name: "Persistence" },
  mitre_privilege_escalation: { id: "TA0004", name: "Privilege Escalation" },
  mitre_defense_evasion: { id: "TA0005", name: "Defense Evasion" },
  mitre_credential_access: { id: "TA0006", name: "Credential Access" },
  mitre_discovery: { id: "TA0007", name: "Discovery" },
  mitre_lateral_movement: { id: "TA0008", name: "Lateral Movement" },
  mitre_collection: { id: "TA0009", name: "Collection" },
  mitre_command_and_control: { id: "TA0011", name: "Command and Control" },
  mitre_exfiltration: { id: "TA0010", name: "Exfiltration" },
  mitre_impact: { id: "TA0040", name: "Impact" },
};

function uniqueSorted(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort();
}

/** Technique ids carried by tags ("T1059", "t1611.001"), upper-cased, deduplicated, sorted. */
export function techniquesFromTags(tags: readonly string[]): string[] {
  return uniqueSorted(tags.map((t) => t.trim().toUpperCase()).filter(isTechniqueId));
}

/** Tactic ids for `mitre_*` tags. A tactic is not a technique, so these never enter mitreTechniques. */
export function tacticsFromTags(tags: readonly string[]): string[] {
  return uniqueSorted(tags.flatMap((t) => TACTICS[t.trim().toLowerCase()]?.id ?? []));
}

/**
 * Stock Falco rules whose upstream tags often carry no technique id (older rule files, k8s_audit
 * rules). Used only when an event's own tags name no technique. Keys are lower-cased rule names.
 */
export const FALCO_RULE_TECHNIQUES: Readonly<Record<string, readonly string[]>> = {
  "terminal shell in container": ["T1059"],
  "run shell untrusted": ["T1059"],
  "contact k8s api server from container": ["T1613"],
  "attach/exec pod": ["T1609"],
  "disallowed k8s user": ["T1078"],
  "k8s serviceaccount created": ["T1136"],
  "launch privileged container": ["T1611"],
  "create privileged pod": ["T1611"],
  "create hostnetwork pod": ["T1611"],
  "create sensitive mount pod": ["T1611"],
  "read sensitive file untrusted": ["T1555"],
};

export function falcoTechniques(rule: string, tags: readonly string[]): string[] {
  const explicit = techniquesFromTags(tags);
  if (explicit.length > 0) return explicit;
  return [...(FALCO_RULE_TECHNIQUES[rule.trim().toLowerCase()] ?? [])];
}

/** Trivy check ids have been spelled KSV017, KSV-0017 and AVD-KSV-0017 across versions. */
export function canonicalCheckId(id: string): string {
  const m = /^(?:AVD-)?([A-Z]+)-?(\d+)$/i.exec(id.trim());
  if (!m) return id.trim();
  return `${(m[1] ?? "").toUpperCase()}-${(m[2] ?? "").padStart(4, "0")}`;
}

const ESCAPE = "T1611";
const PRIV_ESC = "T1068";
const CREDS_IN_FILES = "T1552.001";

/** Trivy Kubernetes/Dockerfile checks with an obvious ATT&CK technique. */
export const MISCONFIG_CHECK_TECHNIQUES: Readonly<Record<string, readonly string[]>> = {
  "KSV-0001": [PRIV_ESC], // allowPrivilegeEscalation
  "KSV-0005": [ESCAPE], // SYS_ADMIN capability
  "KSV-0008": [ESCAPE], // hostIPC
  "KSV-0009": [ESCAPE], // hostNetwork
  "KSV-0010": [ESCAPE], // hostPID
  "KSV-0012": [PRIV_ESC], // runAsNonRoot
  "KSV-0017": [ESCAPE], // privileged
  "KSV-0022": [ESCAPE], // non-default capabilities
  "KSV-0023": [ESCAPE], // hostPath volumes
  "KSV-0105": [PRIV_ESC], // runAsUser 0
  "DS-0002": [PRIV_ESC], // image user root
};

// Fallback on the check title for checks not in the table; order does not matter, results are merged.
const TITLE_RULES: ReadonlyArray<[RegExp, string]> = [
  [/privileged/i, ESCAPE],
  [/host ?path/i, ESCAPE],
  [/capabilit/i, ESCAPE],
  [/host ?(network|pid|ipc)/i, ESCAPE],
  [/privilege escalation/i, PRIV_ESC],
  [/\broot\b|run ?as ?non ?root|runAsNonRoot/i, PRIV_ESC],
  [/secret.*\benv|\benv.*secret|credential.*\benv/i, CREDS_IN_FILES],
];

export function misconfigTechniques(checkId: string, title: string | null): string[] {
  const fromTable = MISCONFIG_CHECK_TECHNIQUES[canonicalCheckId(checkId)];
  if (fromTable) return [...fromTable];
  if (!title) return [];
  return uniqueSorted(TITLE_RULES.flatMap(([re, id]) => (re.test(title) ? [id] : [])));
}

/** A leaked secret found in a file is ATT&CK "Credentials In Files". */
export const SECRET_TECHNIQUES: readonly string[] = [CREDS_IN_FILES];
