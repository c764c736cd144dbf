import { Redis, type RedisOptions } from "ioredis";

export type { Redis };

/** BullMQ workers need maxRetriesPerRequest null; request-path clients want fast failure instead. */
export function createRedis(url: string, opts: { forWorker?: boolean; name?: string } = {}): Redis {
  const options: RedisOptions = opts.forWorker
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2_000, commandTimeout: 2_000 };
  if (opts.name) options.connectionName = opts.name;
  return new Redis(url, options);
}
