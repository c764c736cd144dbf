import type { NextConfig } from "next";

// The workspace packages ship TypeScript source, so Next compiles them; native and server-only
// libraries stay as plain Node requires (argon2 is a native addon, pino/bullmq spawn threads and
// workers, pg and the Prisma adapter hold sockets) rather than being bundled.
const nextConfig: NextConfig = {
  transpilePackages: ["@bulwark/core", "@bulwark/db", "@bulwark/policy"],
  serverExternalPackages: [
    "@node-rs/argon2",
    "pino",
    "thread-stream",
    "bullmq",
    "ioredis",
    "pg",
    "@prisma/adapter-pg",
    "@prisma/client",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
