# syntax=docker/dockerfile:1
# One build for both processes: `--target web` (Next.js dashboard + API) and `--target worker`
# (BullMQ jobs). Used by docker-compose.yml; Node apps run TypeScript through tsx, as in development.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
# Manifests first, so the dependency layer is rebuilt only when they change. Add new workspaces here.
COPY package.json package-lock.json ./
COPY apps/web/package.json apps/web/
COPY apps/worker/package.json apps/worker/
COPY apps/cli/package.json apps/cli/
COPY apps/enforcer/package.json apps/enforcer/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/policy/package.json packages/policy/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
# The Prisma client is generated into packages/db/src/generated; generation needs no database.
RUN npm run db:generate && npx turbo run build --filter=@bulwark/web --env-mode=loose

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY --from=build --chown=node:node /app /app
USER node

FROM runtime AS web
ENV PORT=3000
EXPOSE 3000
# Migrations are idempotent and serialised by an advisory lock, so several replicas may start at once.
CMD ["sh", "-c", "node_modules/.bin/tsx scripts/migrate.ts && if [ \"${BULWARK_SEED:-0}\" = \"1\" ]; then node_modules/.bin/tsx prisma/seed.ts; fi && cd apps/web && exec /app/node_modules/.bin/next start -H 0.0.0.0"]

FROM runtime AS worker
WORKDIR /app/apps/worker
CMD ["/app/node_modules/.bin/tsx", "src/main.ts"]
