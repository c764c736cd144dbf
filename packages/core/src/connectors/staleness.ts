// A cluster agent reports its inventory every few minutes and a registry connector at least hourly
// (the Connectors page snippets schedule them so); a connector silent for longer than this is flagged stale on the overview,
// the cluster pages and in /metrics, so a broken agent is noticed before its data is trusted.
export const CONNECTOR_STALE_AFTER_MS = 60 * 60 * 1000;

export function isConnectorStale(lastReportAt: Date | null, now: Date = new Date()): boolean {
  return lastReportAt === null || now.getTime() - lastReportAt.getTime() > CONNECTOR_STALE_AFTER_MS;
}
