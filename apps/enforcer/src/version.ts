/** Reported in heartbeats and the User-Agent; follows apps/enforcer/package.json. */
export const ENFORCER_VERSION = "0.1.0";
