import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { Queue, Worker } from "bullmq";
import { SMTPServer } from "smtp-server";
import { type Db } from "@bulwark/db";
import { createProcessor, QUEUE_NAME } from "../src/jobs/registry.ts";
import { jobRegistry } from "../src/jobs/definitions.ts";
import { createLogger } from "../src/logger.ts";
import { createRedis } from "../src/redis.ts";
import { type NotificationSettings } from "../src/notifications/settings.ts";
import { uid } from "./helpers.ts";

// Loopback endpoints for channel tests (an HTTP receiver, an SMTP server, a port nobody listens on)
// and a real BullMQ worker running the job registry on its own key prefix.

export const TEST_KEY_SECRET = "bulwark-test-key-secret";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** An HTTP server on 127.0.0.1 that records every request; `status(n)` answers the n-th (1-based). */
export async function startReceiver(status: (n: number) => number = () => 200) {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      res.statusCode = status(requests.length);
      res.end(res.statusCode < 300 ? "ok" : "nope");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/t0ken-in-path?key=q5ecret`,
    port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port that refuses connections (a server bound and closed again). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  user: string | null;
}

/** A plain SMTP server on 127.0.0.1 (no TLS) that accepts user "alerts" with password "smtp-pass-123". */
export async function startSmtp() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === "alerts" && auth.password === "smtp-pass-123") cb(null, { user: auth.username });
      else cb(new Error("Invalid username or password"));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          user: typeof session.user === "string" ? session.user : null,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The job registry on a real BullMQ worker, with fast retries. */
export async function startNotifyWorker(db: Db, notifications: Partial<NotificationSettings>) {
  const prefix = `bull-notify-${uid()}`;
  const redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:63799/1", { forWorker: true });
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
  const logger = createLogger("notify-test", "silent");
  const worker = new Worker(QUEUE_NAME, createProcessor(jobRegistry, { db, redis, logger, queue, notifications: { keySecret: TEST_KEY_SECRET, ...notifications } }), {
    connection: redis,
    prefix,
    concurrency: 4,
  });
  await worker.waitUntilReady();
  return {
    queue,
    async close() {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await redis.quit();
    },
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
