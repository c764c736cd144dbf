// The V8 flags the enforcer runs with (deploy/enforcer/Dockerfile's ENTRYPOINT; the enforcer bench
// starts it with them too). A review allocates ~30 KB that dies young, and almost nothing of it
// survives, so the tail latency of admission is about what pauses the young and old collections make:
// - --no-memory-reducer: after a quiet spell V8's memory reducer runs up to three compacting full
//   collections (8–70 ms pauses measured) just as reviews come again; a webhook is idle, then busy.
// - --no-parallel-scavenge: with so few survivors a young collection is short on the main thread
//   alone; parallel helper threads only add waits for them on a busy node (and the pod is limited to
//   one CPU): pauses of median 0.4–0.9 ms, p90 0.7–1.6 ms, instead of 0.8–1.6 ms and 1.6–4.8 ms.
// - --min-semi-space-size=16: the young generation stays at its usual maximum (16 MB) instead of
//   shrinking when idle, so it is collected about twice a second at 1,000 reviews/s, not four to
//   eight times.
// Measured with --trace-gc-nvp under the enforcer bench's load; see docs/enforcer.md.
export const ENFORCER_NODE_FLAGS: readonly string[] = ["--no-memory-reducer", "--no-parallel-scavenge", "--min-semi-space-size=16"];
