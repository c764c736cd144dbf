import { z } from "zod";
import { type Db } from "@bulwark/db";
import { AppError } from "../errors.ts";
import { importItems, type AdvisoryImportResult, type ImportItemsOptions } from "../advisories/import-items.ts";
import { openAdvisorySource, type FetchLike, type SourceLimits } from "../advisories/read-source.ts";

// `bulwark vuln import`: loads OSV records from a directory, a zip, a JSON file or an http(s) URL into
// the instance-wide advisory store. Invalid records are reported and skipped; the import goes on.

/** Source name of records imported by hand (AdvisorySource rows name the configured feeds). */
export const MANUAL_IMPORT_SOURCE = "import";

export const advisorySourceNameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, "may contain letters, digits and . _ : / - (starting with a letter or digit)");

const inputSchema = z.object({
  location: z.string().trim().min(1, "must not be empty").max(4096, "must be at most 4096 characters"),
  source: advisorySourceNameSchema.optional(),
});

export interface ImportAdvisoriesInput {
  /** Directory, .zip, .json, or http(s) URL of an OSV export. */
  location: string;
  /** Recorded on each stored advisory (default "import"). */
  source?: string;
}

export interface ImportAdvisoriesOptions extends ImportItemsOptions {
  limits?: Partial<SourceLimits>;
  fetchImpl?: FetchLike;
}

/** Throws NOT_FOUND when the location does not exist; AdvisoryImportAborted when storing fails outright. */
export async function importAdvisories(db: Db, input: ImportAdvisoriesInput, opts: ImportAdvisoriesOptions = {}): Promise<AdvisoryImportResult> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw AppError.fromZod(parsed.error, "The import is invalid");
  const source = await openAdvisorySource(parsed.data.location, { limits: opts.limits, fetchImpl: opts.fetchImpl });
  try {
    return await importItems(db, source.items(), parsed.data.source ?? MANUAL_IMPORT_SOURCE, opts);
  } finally {
    await source.close();
  }
}
