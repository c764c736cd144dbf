import { type ReportKind } from "@bulwark/db";
import { parseCycloneDx } from "./cyclonedx.ts";
import { parseFalcoEvents } from "./falco.ts";
import { parseInventory } from "./kubernetes-inventory.ts";
import { parseRegistryImages } from "./registry-images.ts";
import { parseTrivyReport, validateTrivyReport } from "./trivy.ts";

// One entry per report kind: the parser that validates (and normalizes) its body. The API runs it
// before answering, so a bad report is refused with field paths and never stored; the worker runs
// it again on the stored body.

export const REPORT_PARSERS = {
  INVENTORY: parseInventory,
  TRIVY: parseTrivyReport,
  SBOM: parseCycloneDx,
  FALCO: parseFalcoEvents,
  REGISTRY: parseRegistryImages,
} as const satisfies Record<ReportKind, (json: unknown) => unknown>;

export type ParsedReport<K extends ReportKind> = ReturnType<(typeof REPORT_PARSERS)[K]>;

export function parseReport<K extends ReportKind>(kind: K, body: unknown): ParsedReport<K> {
  return REPORT_PARSERS[kind](body) as ParsedReport<K>;
}

/**
 * What the API runs before answering: everything that can refuse a report. For Trivy that is the
 * schema, version and limits without normalization (purls, fingerprints), which only the worker needs
 * and which cannot fail on a valid document; the other kinds are cheap enough to parse whole.
 */
export function validateReport(kind: ReportKind, body: unknown): void {
  if (kind === "TRIVY") validateTrivyReport(body);
  else parseReport(kind, body);
}
