import { ActionLoop } from "./action-loop.ts";
import { BundleClient } from "./bundle-client.ts";
import { BundleHolder } from "./bundle-state.ts";
import { Central } from "./central.ts";
import { Decider } from "./decide.ts";
import { DecisionsReporter } from "./decisions-reporter.ts";
import { type EnforcerConfig } from "./env.ts";
import { Heartbeat } from "./heartbeat.ts";
import { KubeClient } from "./kube-client.ts";
import { createLogger, type Logger } from "./logger.ts";
import { Metrics } from "./metrics.ts";
import { ResponseExecutor } from "./response-executor.ts";
import { createRequestHandler, type RunningServer, startServer } from "./server.ts";
import { ENFORCER_VERSION } from "./version.ts";

// The enforcement point, assembled: the bundle in force (from disk at start, then from central),
// the local decider behind the webhook server, and the three conversations with central (bundle
// long-poll, decision batches, heartbeats, response actions), none of which is in the request path.

export interface EnforcerDeps {
  log?: Logger;
  fetch?: typeof fetch;
  now?: () => Date;
}

export function createEnforcer(config: EnforcerConfig, deps: EnforcerDeps = {}) {
  const log = deps.log ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  const central = new Central({ baseUrl: config.bulwarkUrl, token: config.token, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  let beating = false;
  // A new bundle is announced at once, so the dashboard's drift view does not wait for the next beat.
  const holder = new BundleHolder({ publicKey: config.publicKey, orgId: config.orgId, stateDir: config.stateDir, log, metrics, onInstall: () => void (beating && heartbeat.beat()) });
  const decider = new Decider({ holder, failurePolicy: config.failurePolicy, cluster: config.clusterName, breakGlassMaxHours: config.breakGlassMaxHours });
  const reporter = new DecisionsReporter({ central, enforcerName: config.enforcerName, cluster: config.clusterName, flushMs: config.decisionFlushMs, maxQueue: config.decisionQueueMax, log, metrics });
  const bundleClient = new BundleClient({ central, holder, waitSeconds: config.bundleWaitSeconds, log, metrics });
  const heartbeat = new Heartbeat({
    central,
    name: config.enforcerName,
    cluster: config.clusterName,
    agentVersion: ENFORCER_VERSION,
    excludedNamespaces: config.excludedNamespaces,
    intervalMs: config.heartbeatIntervalMs,
    bundleVersion: () => holder.active?.bundle.version ?? null,
    log,
    metrics,
  });
  // Runtime response actions (off: never asks central; report: claims and reports them skipped).
  const kube = config.response.kube ? new KubeClient(config.response.kube) : null;
  const actions =
    config.response.mode === "off"
      ? null
      : new ActionLoop({ central, enforcerName: config.enforcerName, pollSeconds: config.response.pollSeconds, executor: new ResponseExecutor(config.response.mode, kube), log, metrics });
  let stopping = false;
  let running: RunningServer | null = null;
  const ready = () => !stopping && (holder.active !== null || config.failurePolicy === "Ignore");
  metrics.gauge("bulwark_enforcer_ready", "1 when the enforcer takes reviews (has a bundle, or fails open)", () => (ready() ? 1 : 0));
  const handler = createRequestHandler({
    decider,
    ready,
    metrics,
    log,
    onDecision: (d) => {
      if (d.record) reporter.enqueue(d.record);
    },
    ...(deps.now ? { now: deps.now } : {}),
  });

  return {
    config,
    log,
    metrics,
    holder,
    decider,
    reporter,
    bundleClient,
    heartbeat,
    actions,
    handler,
    ready,
    get port(): number | null {
      return running?.port ?? null;
    },

    async start(): Promise<{ port: number }> {
      const fromDisk = await holder.loadFromDisk();
      if (!fromDisk) log.info({ stateDir: config.stateDir, failurePolicy: config.failurePolicy }, "no stored policy bundle; until central sends one, the failure policy decides");
      reporter.start();
      running = await startServer({ host: config.host, port: config.port, tls: config.tls, log }, handler);
      bundleClient.start();
      // Actions are claimed by point name, and the first heartbeat is what creates the point.
      void heartbeat.start().then(() => {
        if (!stopping) actions?.start();
      });
      beating = true;
      log.info({ port: running.port, responseActions: config.response.mode, tls: config.tls !== null, enforcer: config.enforcerName, cluster: config.clusterName, central: config.bulwarkUrl, bundleVersion: holder.active?.bundle.version ?? null }, "bulwark enforcer listening");
      return { port: running.port };
    },

    /** Graceful: fail readiness, keep answering for the shutdown delay, close, then report what is queued. */
    async stop(opts: { delayMs?: number; flushDeadlineMs?: number } = {}): Promise<void> {
      stopping = true;
      const delay = opts.delayMs ?? config.shutdownDelayMs;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      beating = false;
      heartbeat.stop();
      await Promise.all([running?.close(), bundleClient.stop(), actions?.stop()]);
      kube?.close();
      running = null;
      await reporter.stop(opts.flushDeadlineMs ?? 10_000);
      central.close();
    },
  };
}

export type Enforcer = ReturnType<typeof createEnforcer>;
