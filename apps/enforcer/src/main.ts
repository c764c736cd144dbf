import { createEnforcer } from "./enforcer.ts";
import { loadEnforcerEnvOrExit } from "./env.ts";

// Entry point (`tsx src/main.ts`): configuration from the environment, then run until SIGTERM/SIGINT.
const config = loadEnforcerEnvOrExit();
const enforcer = createEnforcer(config);
try {
  await enforcer.start();
} catch (err) {
  enforcer.log.fatal({ err }, "bulwark enforcer could not start");
  process.exit(1);
}

let shuttingDown = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (shuttingDown) return;
    shuttingDown = true;
    enforcer.log.info({ signal }, "shutting down");
    enforcer
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        enforcer.log.error({ err }, "unclean shutdown");
        process.exit(1);
      });
  });
}
