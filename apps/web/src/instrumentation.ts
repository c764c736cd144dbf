// Next.js calls register() once per server process, before the first request. NEXT_RUNTIME is a
// build-time constant set by Next (not configuration), so the edge bundle drops the Node-only check.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkEnvAtStartup } = await import("./env.ts");
    checkEnvAtStartup();
  }
}
