import { getPublicSigningKey } from "@bulwark/core";
import { env } from "../../../../../env.ts";
import { db } from "../../../../../server/db.ts";
import { json, methodNotAllowed, route } from "../../../../../server/http.ts";
import { logger } from "../../../../../server/logger.ts";

export const dynamic = "force-dynamic";

// Public on purpose: enforcement points and anyone auditing a bundle verify signatures with it.
export const GET = route(async () => json(await getPublicSigningKey(db(), env().keySecret, logger()), { headers: { "cache-control": "public, max-age=60" } }));

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
