import { z } from "zod";

// Zod schema for one OSV record (https://ossf.github.io/osv-schema/, validation/schema.json).
//
// Where it deliberately differs from the JSON schema, and why:
// - Unknown keys are ignored instead of rejected: feeds add fields (upstream, credits variants) faster than
//   we update, and a record should not be lost over a field we never read.
// - `null` is accepted for every optional field: Go and Python encoders emit it for "absent".
// - Enumerations that grow over time (ecosystems, reference types, severity types, range types) are plain
//   bounded strings here; normalization warns about and drops what it cannot use.
// - Everything is size-bounded (OSV_LIMITS) so a hostile or broken feed cannot blow up storage or memory.
//   Exceeding a bound makes the record invalid rather than silently truncated (one exception: long
//   `details` prose is truncated with a warning, since real write-ups can be long and the rest matters).
// - Range rules that matter for evaluation (an `introduced` event; `fixed` and `last_affected` are mutually
//   exclusive) are enforced on SEMVER/ECOSYSTEM ranges only: GIT ranges are never evaluated.

export const OSV_LIMITS = {
  idLength: 255,
  summaryLength: 1_000,
  /** Stored length of `details`; longer write-ups are kept truncated, with a warning. */
  detailsLength: 20_000,
  /** Beyond this the record is refused: no advisory needs a megabyte of prose. */
  detailsHardLength: 1_000_000,
  aliases: 200,
  related: 200,
  references: 200,
  urlLength: 2_048,
  affected: 5_000,
  rangesPerAffected: 100,
  eventsPerRange: 1_000,
  versionsPerAffected: 10_000,
  /** Across all affected entries: 5,000 × 10,000 enumerated versions would still be far too many. */
  versionsTotal: 100_000,
  severityEntries: 20,
  /** Package names, ecosystems, versions, alias ids, severity scores. */
  shortString: 512,
  purlLength: 2_048,
  /** Issues/warnings reported per record; the rest are summarized in one final entry. */
  reportedIssues: 50,
} as const;

/** Home-database id prefixes, from the official schema's `$defs.prefix` (ossf/osv-schema 51b8156). */
export const OSV_ID_PREFIX =
  /^(x_|(ASB-A|PUB-A|ALPINE|ALSA|ALBA|ALEA|AZL|BELL|BIT|CGA|CLEANSTART|CLSA|CURL|CVE|DEBIAN|DHI|DRUPAL|DSA|DLA|ELA|DTSA|ECHO|EEF|FreeBSD|GHSA|GO|GSD|HSEC|JLSEC|KUBE|LBSEC|LSN|MAL|MINI|MGASA|OESA|OSEC|OSV|openSUSE-SU|PHSA|PSF|PYSEC|RHBA|RHEA|RHSA|RLSA|RXSA|RSEC|ROOT|RUSTSEC|SUSE-[SRFO]U|UBUNTU|USN|V8)-)/;

function requiredString(label: string) {
  return z.string({ error: (iss) => (iss.input === undefined ? `${label} is required` : `${label} must be a string`) });
}

const shortString = z.string().max(OSV_LIMITS.shortString);
const nonEmptyShort = shortString.min(1);

// Printable ASCII without spaces: ids end up in URLs, filenames and log lines.
const osvId = requiredString("id")
  .min(1, "id must not be empty")
  .max(OSV_LIMITS.idLength)
  .regex(/^[\x21-\x7e]+$/, "id must be printable ASCII without spaces")
  .regex(OSV_ID_PREFIX, "id must start with a known OSV database prefix (e.g. GHSA-, CVE-, DSA-)");

const timestamp = z.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp, e.g. 2024-01-31T12:00:00Z" });

/**
 * `database_specific` / `ecosystem_specific`: free-form objects. The original object is passed through
 * (not copied) and only ever read with own-property lookups, so keys like "__proto__" stay inert.
 */
const freeFormObject = z.custom<Record<string, unknown>>(
  (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  { error: "must be an object" },
);

const severityEntry = z.object({
  type: requiredString("type").min(1).max(64),
  score: requiredString("score").min(1).max(OSV_LIMITS.shortString),
});
const severityList = z.array(severityEntry).max(OSV_LIMITS.severityEntries).nullish();

const eventValue = nonEmptyShort.optional();
const EVENT_KEYS = ["introduced", "fixed", "last_affected", "limit"] as const;

const rangeEvent = z
  .object({ introduced: eventValue, fixed: eventValue, last_affected: eventValue, limit: eventValue })
  .superRefine((event, ctx) => {
    const keys = EVENT_KEYS.filter((k) => event[k] !== undefined);
    if (keys.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `an event must have exactly one of introduced, fixed, last_affected, limit (found ${keys.length})`,
      });
    }
  });

const range = z
  .object({
    type: requiredString("type").min(1).max(64),
    repo: z.string().max(OSV_LIMITS.urlLength).nullish(),
    events: z.array(rangeEvent).min(1, "events must not be empty").max(OSV_LIMITS.eventsPerRange),
    database_specific: freeFormObject.nullish(),
  })
  .superRefine((r, ctx) => {
    if (r.type !== "SEMVER" && r.type !== "ECOSYSTEM") return;
    if (r.events.length > 0 && !r.events.some((e) => e.introduced !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["events"], message: "events must contain an introduced event" });
    }
    if (r.events.some((e) => e.fixed !== undefined) && r.events.some((e) => e.last_affected !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["events"], message: "fixed and last_affected events are mutually exclusive" });
    }
  });

// Schema requires ecosystem and name; a purl alone is accepted too (some feeds only give purls), and
// normalization skips entries it cannot identify instead of rejecting the whole record.
const affectedPackage = z.object({
  ecosystem: shortString.nullish(),
  name: shortString.nullish(),
  purl: z.string().max(OSV_LIMITS.purlLength).nullish(),
});

const affected = z.object({
  package: affectedPackage.nullish(),
  severity: severityList,
  ranges: z.array(range).max(OSV_LIMITS.rangesPerAffected).nullish(),
  versions: z.array(nonEmptyShort).max(OSV_LIMITS.versionsPerAffected).nullish(),
  ecosystem_specific: freeFormObject.nullish(),
  database_specific: freeFormObject.nullish(),
});

const reference = z.object({
  type: requiredString("type").min(1).max(64),
  url: requiredString("url").min(1).max(OSV_LIMITS.urlLength),
});

export const osvRecordSchema = z
  .object({
    schema_version: z.string().max(64).nullish(),
    id: osvId,
    modified: z.string({ error: (iss) => (iss.input === undefined ? "modified is required" : "modified must be a string") }).pipe(timestamp),
    published: timestamp.nullish(),
    withdrawn: timestamp.nullish(),
    aliases: z.array(nonEmptyShort).max(OSV_LIMITS.aliases).nullish(),
    related: z.array(nonEmptyShort).max(OSV_LIMITS.related).nullish(),
    summary: z.string().max(OSV_LIMITS.summaryLength).nullish(),
    details: z.string().max(OSV_LIMITS.detailsHardLength).nullish(),
    severity: severityList,
    affected: z.array(affected).max(OSV_LIMITS.affected).nullish(),
    references: z.array(reference).max(OSV_LIMITS.references).nullish(),
    database_specific: freeFormObject.nullish(),
  })
  .superRefine((record, ctx) => {
    let total = 0;
    for (const a of record.affected ?? []) total += a.versions?.length ?? 0;
    if (total > OSV_LIMITS.versionsTotal) {
      ctx.addIssue({
        code: "custom",
        path: ["affected"],
        message: `too many enumerated versions in total: ${total} > ${OSV_LIMITS.versionsTotal}`,
      });
    }
  });

export type OsvRecord = z.infer<typeof osvRecordSchema>;
export type OsvAffected = NonNullable<OsvRecord["affected"]>[number];
export type OsvRange = NonNullable<OsvAffected["ranges"]>[number];
export type OsvSeverityEntry = NonNullable<OsvRecord["severity"]>[number];
export type OsvReference = NonNullable<OsvRecord["references"]>[number];
