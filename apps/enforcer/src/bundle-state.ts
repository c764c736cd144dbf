import { type KeyObject } from "node:crypto";
import { type AdmissionContext, type CompiledPolicy, compilePolicy, compilePolicySet, type PolicyException, policyExceptionSchema, type SignedBundle } from "@bulwark/policy";
import { readStoredBundle, writeStoredBundle } from "./bundle-store.ts";
import { type Logger } from "./logger.ts";
import { type Metrics } from "./metrics.ts";
import { bundleEtag, verifyBundle } from "./verify.ts";

// The bundle in force. A bundle replaces it only when it verifies (signature, content hash, the
// pinned organization) and is newer: a lower version is a replay or a rollback, the same version
// with other content a forgery or a reset central; both are rejected and the last good bundle stays.
// Each accepted bundle is compiled once here, so a review never parses or compiles anything.

export interface ActiveBundle {
  bundle: SignedBundle;
  etag: string;
  policies: CompiledPolicy[];
  exceptions: PolicyException[];
  settings: AdmissionContext["settings"];
  /** Policies of the bundle this engine could not compile (left out, as central leaves them out). */
  skipped: { id: string; errors: string[] }[];
}

export type Offer = { accepted: true; changed: boolean } | { accepted: false; reason: string };

export interface BundleHolderOptions {
  publicKey: KeyObject;
  /** Pinned organization; unset: the first accepted bundle's. */
  orgId?: string | undefined;
  stateDir: string;
  log: Logger;
  metrics: Metrics;
  /** Called after a newer bundle took effect. */
  onInstall?: (active: ActiveBundle) => void;
}

function idOf(def: unknown, index: number): string {
  const id = typeof def === "object" && def !== null ? (def as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id : `#${index}`;
}

export function compileBundle(bundle: SignedBundle): ActiveBundle {
  const defs = bundle.content.policies;
  const whole = compilePolicySet(defs);
  let policies: CompiledPolicy[];
  const skipped: ActiveBundle["skipped"] = [];
  if (whole.ok) {
    policies = whole.policies;
  } else {
    policies = [];
    defs.forEach((def, i) => {
      const one = compilePolicy(def);
      if (one.ok) policies.push(one.policy);
      else skipped.push({ id: idOf(def, i), errors: one.errors.map((e) => `${e.path}: ${e.message}`) });
    });
  }
  const exceptions: PolicyException[] = [];
  for (const ex of bundle.content.exceptions) {
    const parsed = policyExceptionSchema.safeParse(ex);
    if (parsed.success) exceptions.push(parsed.data);
  }
  return { bundle, etag: bundleEtag(bundle), policies, exceptions, settings: bundle.content.settings, skipped };
}

export class BundleHolder {
  private current: ActiveBundle | null = null;

  constructor(private readonly opts: BundleHolderOptions) {
    opts.metrics.gauge("bulwark_enforcer_bundle_version", "Version of the policy bundle in force (0: none)", () => this.current?.bundle.version ?? 0);
  }

  get active(): ActiveBundle | null {
    return this.current;
  }

  /**
   * Verifies and, when newer, installs a bundle; from central it is also stored on disk (before it
   * takes effect, so what runs is always what a restart would load).
   */
  async offer(raw: unknown, source: "central" | "disk"): Promise<Offer> {
    const current = this.current;
    const verified = verifyBundle(raw, this.opts.publicKey, this.opts.orgId ?? current?.bundle.content.orgId);
    if (!verified.ok) return this.reject(source, raw, verified.reason);
    const bundle = verified.bundle;
    if (current) {
      if (bundle.version < current.bundle.version) return this.reject(source, raw, `version ${bundle.version} is older than version ${current.bundle.version} in force`);
      if (bundle.version === current.bundle.version) {
        if (bundle.contentHash === current.bundle.contentHash) return { accepted: true, changed: false };
        return this.reject(source, raw, `version ${bundle.version} is in force with other content`);
      }
    }
    const compiled = compileBundle(bundle);
    if (source === "central") {
      try {
        await writeStoredBundle(this.opts.stateDir, raw);
      } catch (err) {
        // Enforcing the newer bundle matters more than surviving a restart with it.
        this.opts.log.error({ err, stateDir: this.opts.stateDir }, "could not store the policy bundle on disk; a restart would fall back to the previous one");
        this.opts.metrics.inc("bulwark_enforcer_bundle_store_errors_total", "Bundles that could not be written to STATE_DIR");
      }
    }
    this.current = compiled;
    for (const s of compiled.skipped) this.opts.log.error({ policy: s.id, errors: s.errors }, "a policy of the bundle does not compile with this enforcer's engine and is not enforced (upgrade the enforcer)");
    this.opts.log.info(
      { version: bundle.version, contentHash: bundle.contentHash, keyId: bundle.keyId, orgId: bundle.content.orgId, policies: compiled.policies.length, exceptions: compiled.exceptions.length, source, previous: current?.bundle.version ?? null },
      "policy bundle in force",
    );
    this.opts.onInstall?.(compiled);
    return { accepted: true, changed: true };
  }

  /** At start: the bundle stored by an earlier run, verified like any other. */
  async loadFromDisk(): Promise<boolean> {
    const stored = await readStoredBundle(this.opts.stateDir);
    if (!stored.found) return false;
    if ("error" in stored) {
      this.opts.log.error({ stateDir: this.opts.stateDir, reason: stored.error }, "the stored policy bundle is unusable");
      return false;
    }
    return (await this.offer(stored.raw, "disk")).accepted;
  }

  private reject(source: "central" | "disk", raw: unknown, reason: string): Offer {
    const version = typeof raw === "object" && raw !== null ? (raw as { version?: unknown }).version : undefined;
    this.opts.metrics.inc("bulwark_enforcer_bundle_rejected_total", "Bundles rejected (bad signature or hash, other organization, older version)", { source });
    this.opts.log.error({ source, version: typeof version === "number" ? version : null, reason, inForce: this.current?.bundle.version ?? null }, "policy bundle rejected; the last good bundle stays in force");
    return { accepted: false, reason };
  }
}
