// One error type for every version problem, so callers (matching, the CLI) can report the exact
// string and tell "we do not know this ecosystem" apart from "this is not a version".

export type VersionErrorReason = "unknown-ecosystem" | "unparsable";

export class VersionError extends Error {
  readonly reason: VersionErrorReason;
  readonly version: string;
  readonly ecosystem: string;

  constructor(reason: VersionErrorReason, ecosystem: string, version: string) {
    super(
      reason === "unknown-ecosystem"
        ? `No version scheme for ecosystem "${ecosystem}"`
        : `Not a valid ${ecosystem} version: "${version.length > 100 ? `${version.slice(0, 100)}…` : version}"`,
    );
    this.name = "VersionError";
    this.reason = reason;
    this.ecosystem = ecosystem;
    this.version = version;
  }
}
