import { userInfo } from "node:os";
import { type Command, Option } from "commander";
import type * as Core from "@bulwark/core";
import { adminEnv, loadRootDotEnv } from "../env.ts";
import { EXIT_USAGE, type FieldFlags, type Io, reportError } from "../output.ts";

// `bulwark vuln ...`: load OSV advisories into the instance-wide store (needs DATABASE_URL, like the
// admin commands) and compare versions the way matching does (no configuration at all).

const IMPORT_FLAGS: FieldFlags = { location: "PATH", source: "--source" };
/** Issues printed in text mode; --json prints all the import kept (up to 1,000). */
const SHOWN_ISSUES = 20;
/** A progress line per this many records, so a 50,000-record import visibly moves. */
const PROGRESS_EVERY = 10_000;

interface ImportOptions {
  source?: string;
  json?: boolean;
  rescan: boolean;
  redisUrl?: string;
}

function who(): string {
  try {
    return userInfo().username;
  } catch {
    return "cli";
  }
}

function issueLine(i: Core.AdvisoryImportIssue): string {
  const where = [i.origin, i.id && `(${i.id})`, i.path].filter(Boolean).join(" ");
  return `  ${i.level === "error" ? "error  " : "warning"} ${where}: ${i.message}`;
}

async function runImport(location: string, opts: ImportOptions, io: Io): Promise<void> {
  const { DATABASE_URL } = adminEnv();
  const [{ createDb }, core] = await Promise.all([import("@bulwark/db"), import("@bulwark/core")]);
  const db = createDb(DATABASE_URL, { max: 2 });
  let result: Core.AdvisoryImportResult;
  try {
    let nextProgress = PROGRESS_EVERY;
    result = await core.importAdvisories(db, { location, source: opts.source }, {
      onProgress: (s) => {
        if (opts.json || s.records < nextProgress) return;
        nextProgress = s.records + PROGRESS_EVERY;
        io.err(`… ${s.records} records read, ${s.inserted + s.updated + s.withdrawn} changed`);
      },
    });
  } finally {
    await db.$disconnect();
  }
  const source = opts.source?.trim() || core.MANUAL_IMPORT_SOURCE;

  // The advisories are stored either way; without a queue the next scheduled full rescan matches them.
  let rescan: { queued: number } | { skipped: string } | { failed: string };
  if (result.changedAdvisoryIds.length === 0) rescan = { skipped: "no advisory changed" };
  else if (!opts.rescan) rescan = { skipped: "--no-rescan" };
  else if (!opts.redisUrl) rescan = { skipped: "REDIS_URL is not set" };
  else {
    try {
      rescan = { queued: await core.queueAdvisoryRescan(opts.redisUrl, result.changedAdvisoryIds, `import:${source}:${who()}`) };
    } catch (err) {
      rescan = { failed: err instanceof Error ? err.message.split("\n")[0]!.slice(0, 200) : "queue unavailable" };
    }
  }

  const { stats } = result;
  if (opts.json) {
    io.out(JSON.stringify({ source, stats, changedAdvisories: result.changedAdvisoryIds.length, issueCount: result.issueCount, issues: result.issues, rescan }, null, 2));
  } else {
    io.out(`Imported ${stats.records} records from ${stats.files} files (source "${source}")`);
    io.out(`  inserted ${stats.inserted}, updated ${stats.updated}, withdrawn ${stats.withdrawn}, unchanged ${stats.unchanged}, invalid ${stats.invalid}`);
    if (result.issueCount > 0) {
      const shown = result.issues.slice(0, SHOWN_ISSUES);
      io.out(`Issues (${shown.length} of ${result.issueCount}):`);
      for (const i of shown) io.out(issueLine(i));
      if (result.issueCount > shown.length) io.out(`  … ${result.issueCount - shown.length} more (--json lists up to ${result.issues.length})`);
    }
    if ("queued" in rescan) io.out(`Queued ${rescan.queued} re-match job(s) for ${result.changedAdvisoryIds.length} changed advisories.`);
    else if ("skipped" in rescan && result.changedAdvisoryIds.length > 0) io.out(`Re-match not queued (${rescan.skipped}); the next scheduled rescan will match the changes.`);
  }
  if ("failed" in rescan) io.err(`warning: could not queue the re-match (${rescan.failed}); the next scheduled rescan will match the changes.`);
}

async function runCompare(ecosystem: string, a: string, b: string, io: Io): Promise<void> {
  const { compareVersions, VersionError } = await import("@bulwark/vuln");
  try {
    io.out(String(compareVersions(ecosystem, a, b)));
  } catch (err) {
    // Not a usage mistake of the CLI as such, but the same answer every time: the input is wrong.
    if (!(err instanceof VersionError)) throw err;
    io.err(`error: ${err.message}`);
    process.exitCode = EXIT_USAGE;
  }
}

export function registerVulnCommands(program: Command, io: Io): void {
  const vuln = program.command("vuln").description("vulnerability advisories: import OSV records into the advisory store, compare package versions");
  // The repository's .env may name REDIS_URL; it must be loaded before the import's options read the environment.
  vuln.hook("preSubcommand", (_vuln, sub) => {
    if (sub.name() === "import") loadRootDotEnv();
  });

  vuln
    .command("import")
    .description("import OSV advisories (a directory of .json/.zip files, a .zip, a .json file, or an http(s) URL of an OSV export); needs DATABASE_URL")
    .argument("<path>", "directory, .zip or .json file, or http(s) URL")
    .option("--source <name>", 'recorded as the advisories\' source (default "import")')
    .option("--json", "print the result as JSON")
    .option("--no-rescan", "do not queue a re-match of the changed advisories")
    .addOption(new Option("--redis-url <url>", "queue the re-match of changed advisories on this Redis").env("REDIS_URL"))
    .addHelpText(
      "after",
      "\nInvalid records are listed and skipped; the command still exits 0. Re-importing the same data changes nothing.\n" +
        "Example:\n  curl -sO https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip && bulwark vuln import all.zip --source debian",
    )
    .action(async (location: string, opts: ImportOptions) => {
      try {
        await runImport(location, opts, io);
      } catch (err) {
        process.exitCode = reportError(err, io, { json: opts.json, flags: IMPORT_FLAGS });
      }
    });

  vuln
    .command("compare")
    .description("compare two versions the way advisory matching does; prints -1 (A < B), 0 (equal) or 1 (A > B)")
    .requiredOption("--ecosystem <name>", 'OSV ecosystem, e.g. "Debian:12", "Alpine:v3.20", npm, PyPI, Go, Maven')
    .argument("<a>", "first version")
    .argument("<b>", "second version")
    .addHelpText("after", '\nExit codes: 0 compared, 2 unknown ecosystem or unparsable version.\nExample:\n  bulwark vuln compare --ecosystem Debian:12 1:2.0-1 2.5-1   # prints 1 (the epoch wins)')
    .action(async (a: string, b: string, opts: { ecosystem: string }) => {
      try {
        await runCompare(opts.ecosystem, a, b, io);
      } catch (err) {
        process.exitCode = reportError(err, io);
      }
    });
}
