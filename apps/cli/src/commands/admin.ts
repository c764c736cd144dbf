import { userInfo } from "node:os";
import { type Command, InvalidArgumentError, Option } from "commander";
import { type Db } from "@bulwark/db";
import type * as Core from "@bulwark/core";
// Only the light modules load up front; the database client and use cases load when a command runs,
// which keeps --help and usage errors quick.
import { ROLES } from "@bulwark/core/roles";
import { TOKEN_SCOPES, type TokenScope } from "@bulwark/core/crypto/tokens";
import { adminEnv } from "../env.ts";
import { type FieldFlags, type Io, reportError } from "../output.ts";
import { readSecret } from "../stdin.ts";

// `bulwark admin ...`: bootstrap commands that talk to the database directly (no API, no signed-in user).
// Their audit rows name the operating-system user who ran them.

const USER_FLAGS: FieldFlags = { email: "--email", name: "--name", org: "--org", orgName: "--org-name", role: "--role", password: "password (stdin)" };
const TOKEN_FLAGS: FieldFlags = { name: "--name", scopes: "--scopes", clusterName: "--cluster", expiresInDays: "--expires-days" };

function parseRole(value: string): (typeof ROLES)[number] {
  const role = value.trim().toUpperCase();
  const found = ROLES.find((r) => r === role);
  if (!found) throw new InvalidArgumentError(`expected one of ${ROLES.join(", ")}`);
  return found;
}

function parseScopes(value: string): TokenScope[] {
  const scopes = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (scopes.length === 0) throw new InvalidArgumentError(`give at least one of ${TOKEN_SCOPES.join(", ")}`);
  const unknown = scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new InvalidArgumentError(`unknown scope ${unknown.map((s) => `"${s}"`).join(", ")}; expected any of ${TOKEN_SCOPES.join(", ")}`);
  return scopes as TokenScope[];
}

function parseDays(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError("expected a whole number of days (1 or more)");
  return Number(value);
}

function auditLabel(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return "cli";
  }
}

async function withDb<T>(fn: (db: Db, core: typeof Core) => Promise<T>): Promise<T> {
  const { DATABASE_URL } = adminEnv();
  const [{ createDb }, core] = await Promise.all([import("@bulwark/db"), import("@bulwark/core")]);
  const db = createDb(DATABASE_URL, { max: 2 });
  try {
    return await fn(db, core);
  } finally {
    await db.$disconnect();
  }
}

interface CreateUserOptions {
  email: string;
  org: string;
  orgName?: string;
  role: (typeof ROLES)[number];
  name?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

interface CreateTokenOptions {
  org: string;
  name: string;
  scopes: TokenScope[];
  cluster?: string;
  expiresDays?: number;
  json?: boolean;
}

export function registerAdminCommands(program: Command, io: Io): void {
  const admin = program.command("admin").description("bootstrap users and API tokens directly in the database (needs DATABASE_URL)");

  admin
    .command("create-user")
    .description("create a user (or update an existing one) and make them a member of an organization, creating the organization if needed")
    .requiredOption("--email <email>", "the user's email (sign-in name)")
    .requiredOption("--org <slug>", "organization slug; created if it does not exist")
    .option("--org-name <name>", "display name for a new organization (default: the slug)")
    .addOption(new Option("--role <role>", `role in the organization: ${ROLES.join(", ")}`).argParser(parseRole).makeOptionMandatory())
    .option("--name <name>", "the user's display name")
    .option("--password-stdin", "read the password from stdin; without it a password is generated and printed once")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  printf %s \"$PASSWORD\" | bulwark admin create-user --email ada@example.com --org acme --role OWNER --password-stdin")
    .action(async (opts: CreateUserOptions) => {
      try {
        const password = opts.passwordStdin ? await readSecret("Password: ") : undefined;
        const res = await withDb((db, { createUser }) =>
          createUser(db, { email: opts.email, org: opts.org, orgName: opts.orgName, role: opts.role, name: opts.name, password }, auditLabel()),
        );
        const email = opts.email.trim().toLowerCase();
        if (opts.json) {
          io.out(JSON.stringify({ email, ...res }, null, 2));
        } else {
          io.out(`${res.createdUser ? "Created" : "Updated"} user ${email} (${res.userId})`);
          io.out(`${res.role} of organization "${res.orgSlug}" (${res.orgId})${res.createdOrg ? ", newly created" : ""}`);
          if (res.generatedPassword) io.out(`Generated password: ${res.generatedPassword}`);
        }
        if (res.generatedPassword) io.err("warning: the generated password is shown only once; sign in and change it now.");
      } catch (err) {
        process.exitCode = reportError(err, io, { json: opts.json, flags: USER_FLAGS });
      }
    });

  admin
    .command("create-token")
    .description("create an API token for an organization; the token is printed once and stored only as a hash")
    .requiredOption("--org <slug>", "organization slug")
    .requiredOption("--name <name>", "a name to recognise the token by")
    .addOption(new Option("--scopes <list>", `comma-separated scopes: ${TOKEN_SCOPES.join(", ")}`).argParser(parseScopes).makeOptionMandatory())
    .option("--cluster <name>", "bind the token to this cluster (registered if new)")
    .addOption(new Option("--expires-days <days>", "expire the token after this many days (default: never)").argParser(parseDays))
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  bulwark admin create-token --org acme --name prod-connector --scopes ingest,policy:read --cluster prod")
    .action(async (opts: CreateTokenOptions) => {
      try {
        const res = await withDb((db, { createApiTokenForOrg }) =>
          createApiTokenForOrg(db, opts.org.trim(), { name: opts.name, scopes: opts.scopes, clusterName: opts.cluster, expiresInDays: opts.expiresDays }, auditLabel()),
        );
        const cluster = opts.cluster?.trim() || null;
        if (opts.json) {
          io.out(JSON.stringify({ id: res.id, orgId: res.orgId, name: res.name, prefix: res.prefix, scopes: res.scopes, cluster, expiresAt: res.expiresAt, token: res.token }, null, 2));
        } else {
          io.out(`Created API token "${res.name}" (${res.id}) for organization "${opts.org.trim()}"`);
          io.out(`  prefix:  ${res.prefix}`);
          io.out(`  scopes:  ${res.scopes.join(", ")}`);
          if (cluster) io.out(`  cluster: ${cluster}`);
          io.out(`  expires: ${res.expiresAt ? res.expiresAt.toISOString() : "never"}`);
          io.out("");
          io.out(res.token);
          io.out("");
        }
        io.err("note: this is the only time the token is shown; it cannot be retrieved again. Store it now.");
      } catch (err) {
        process.exitCode = reportError(err, io, { json: opts.json, flags: TOKEN_FLAGS });
      }
    });
}
