import { type FindingTotal } from "@bulwark/core";
import Link from "next/link";
import { formatNumber } from "../format.ts";

// The total above the table and the empty states. "More than N" when counting stopped at the cap, and
// "at least N" when the filters were not counted at all (no index serves them): the exact number of a
// broad ad-hoc filter over a million findings is not worth a full scan.

export function FindingsTotal({ total }: { total: FindingTotal }) {
  const n = formatNumber(total.count);
  return (
    <p className="text-sm" data-testid="findings-total" data-exact={total.exact ? "true" : "false"} aria-live="polite">
      {total.exact ? `${n} finding${total.count === 1 ? "" : "s"}` : total.via === "page" ? `At least ${n} findings (not counted for these filters)` : `More than ${n} findings`}
    </p>
  );
}

export function FindingsEmpty({ filtered, orgHasFindings }: { filtered: boolean; orgHasFindings: boolean }) {
  if (!orgHasFindings) {
    return (
      <div className="p-6 text-sm" data-testid="findings-empty" data-reason="no-data">
        <p className="font-medium">No findings yet.</p>
        <p className="mt-1 text-muted">
          Findings arrive from connectors: cluster inventories, image scans, registry reports and runtime events.{" "}
          <Link href="/connectors" className="text-accent underline">
            Connect a cluster or registry
          </Link>
          .
        </p>
      </div>
    );
  }
  return (
    <div className="p-6 text-sm" data-testid="findings-empty" data-reason={filtered ? "filtered" : "none-open"}>
      <p className="font-medium">No findings match{filtered ? " these filters" : ""}.</p>
      <p className="mt-1">
        <Link href="/findings" className="text-accent underline">
          Reset filters
        </Link>{" "}
        <span className="text-muted">or</span>{" "}
        <Link href="/findings?status=ALL" className="text-accent underline">
          include resolved and suppressed findings
        </Link>
        .
      </p>
    </div>
  );
}
