export { VersionError, type VersionErrorReason } from "./errors.ts";
export { versionSchemeOf, ecosystemBase } from "./ecosystems.ts";
export {
  compareVersions,
  compareWith,
  comparatorFor,
  requireVersionScheme,
  parseVersion,
  isValidVersion,
  versionSchemeImpl,
  clearVersionCache,
  MAX_VERSION_LENGTH,
  VERSION_CACHE_LIMIT,
  type VersionCompare,
} from "./compare.ts";
export type { Ordering, VersionSchemeImpl } from "./scheme.ts";
export { rpmvercmp } from "./rpm.ts";
export { verrevcmp } from "./dpkg.ts";
