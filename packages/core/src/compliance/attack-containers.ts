// The MITRE ATT&CK for Containers matrix (ATT&CK v15/v16, Containers platform) as data, for the
// compliance page's grid. Tactics are in matrix order; a technique may sit under several tactics,
// as it does in ATT&CK. Sub-techniques are listed where the Containers matrix lists them.
//
// Two Enterprise techniques that are not on the Containers platform are added, flagged `enterprise`:
// Bulwark's Falco mapping emits them (a shell in a container is T1059, reading a password store is
// T1555), and a finding Bulwark raises must always have a cell to be counted in.

export interface AttackSubTechnique {
  id: string;
  name: string;
}

export interface AttackTechnique {
  id: string;
  name: string;
  subTechniques: readonly AttackSubTechnique[];
  /** Not on ATT&CK's Containers platform; listed because Bulwark detects it in containers. */
  enterprise?: true;
}

export interface AttackTactic {
  id: string;
  name: string;
  techniques: readonly AttackTechnique[];
}

export const ATTACK_CONTAINERS_VERSION = "16";

const t = (id: string, name: string, subTechniques: AttackSubTechnique[] = [], enterprise = false): AttackTechnique =>
  enterprise ? { id, name, subTechniques, enterprise: true } : { id, name, subTechniques };

const VALID_ACCOUNTS = t("T1078", "Valid Accounts", [
  { id: "T1078.001", name: "Default Accounts" },
  { id: "T1078.003", name: "Local Accounts" },
]);
const EXTERNAL_REMOTE_SERVICES = t("T1133", "External Remote Services");
const DEPLOY_CONTAINER = t("T1610", "Deploy Container");
const SCHEDULED_TASK = t("T1053", "Scheduled Task/Job", [{ id: "T1053.007", name: "Container Orchestration Job" }]);
const ACCOUNT_MANIPULATION = t("T1098", "Account Manipulation", [{ id: "T1098.006", name: "Additional Container Cluster Roles" }]);
const SYSTEM_PROCESS = t("T1543", "Create or Modify System Process", [{ id: "T1543.005", name: "Container Service" }]);
const ALTERNATE_AUTH = t("T1550", "Use Alternate Authentication Material", [{ id: "T1550.001", name: "Application Access Token" }]);

export const ATTACK_CONTAINERS_MATRIX: readonly AttackTactic[] = [
  {
    id: "TA0001",
    name: "Initial Access",
    techniques: [t("T1190", "Exploit Public-Facing Application"), EXTERNAL_REMOTE_SERVICES, VALID_ACCOUNTS],
  },
  {
    id: "TA0002",
    name: "Execution",
    techniques: [
      t("T1609", "Container Administration Command"),
      DEPLOY_CONTAINER,
      SCHEDULED_TASK,
      t("T1204", "User Execution", [{ id: "T1204.003", name: "Malicious Image" }]),
      t("T1059", "Command and Scripting Interpreter", [], true),
    ],
  },
  {
    id: "TA0003",
    name: "Persistence",
    techniques: [
      ACCOUNT_MANIPULATION,
      t("T1136", "Create Account", [{ id: "T1136.001", name: "Local Account" }]),
      SYSTEM_PROCESS,
      EXTERNAL_REMOTE_SERVICES,
      t("T1525", "Implant Internal Image"),
      SCHEDULED_TASK,
      VALID_ACCOUNTS,
    ],
  },
  {
    id: "TA0004",
    name: "Privilege Escalation",
    techniques: [ACCOUNT_MANIPULATION, SYSTEM_PROCESS, t("T1611", "Escape to Host"), t("T1068", "Exploitation for Privilege Escalation"), SCHEDULED_TASK, VALID_ACCOUNTS],
  },
  {
    id: "TA0005",
    name: "Defense Evasion",
    techniques: [
      t("T1612", "Build Image on Host"),
      DEPLOY_CONTAINER,
      t("T1562", "Impair Defenses", [{ id: "T1562.001", name: "Disable or Modify Tools" }]),
      t("T1070", "Indicator Removal"),
      t("T1036", "Masquerading", [{ id: "T1036.005", name: "Match Legitimate Name or Location" }]),
      ALTERNATE_AUTH,
      VALID_ACCOUNTS,
    ],
  },
  {
    id: "TA0006",
    name: "Credential Access",
    techniques: [
      t("T1110", "Brute Force", [
        { id: "T1110.001", name: "Password Guessing" },
        { id: "T1110.003", name: "Password Spraying" },
        { id: "T1110.004", name: "Credential Stuffing" },
      ]),
      t("T1528", "Steal Application Access Token"),
      t("T1552", "Unsecured Credentials", [
        { id: "T1552.001", name: "Credentials In Files" },
        { id: "T1552.007", name: "Container API" },
      ]),
      t("T1555", "Credentials from Password Stores", [], true),
    ],
  },
  {
    id: "TA0007",
    name: "Discovery",
    techniques: [t("T1613", "Container and Resource Discovery"), t("T1046", "Network Service Discovery"), t("T1069", "Permission Groups Discovery")],
  },
  {
    id: "TA0008",
    name: "Lateral Movement",
    techniques: [ALTERNATE_AUTH],
  },
  {
    id: "TA0040",
    name: "Impact",
    techniques: [
      t("T1485", "Data Destruction"),
      t("T1499", "Endpoint Denial of Service"),
      t("T1490", "Inhibit System Recovery"),
      t("T1498", "Network Denial of Service"),
      t("T1496", "Resource Hijacking", [{ id: "T1496.001", name: "Compute Hijacking" }]),
    ],
  },
];

/** The technique a sub-technique belongs to ("T1552.001" → "T1552"); a technique is its own parent. */
export function parentTechniqueId(id: string): string {
  return id.split(".")[0] ?? id;
}

/** Every technique and sub-technique id in the matrix. */
export const ATTACK_CONTAINERS_IDS: ReadonlySet<string> = new Set(
  ATTACK_CONTAINERS_MATRIX.flatMap((tactic) => tactic.techniques.flatMap((tech) => [tech.id, ...tech.subTechniques.map((s) => s.id)])),
);
