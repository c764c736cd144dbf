import { exportFindingsCsv } from "@bulwark/core";
import { apiContext } from "../../../../../server/api-context.ts";
import { db } from "../../../../../server/db.ts";
import { methodNotAllowed, route } from "../../../../../server/http.ts";

// Every finding the filters match, streamed as CSV while it is read in keyset batches: memory stays
// flat whatever the size, and a client that goes away stops the reads (cancel ends the generator).
export const GET = route(async (req) => {
  const ctx = await apiContext(req, { scope: "read" });
  // Filters are validated here, before the 200 goes out, so a bad query is a problem+json 400.
  const lines = (await exportFindingsCsv(db(), ctx, new URL(req.url).searchParams))[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A few hundred lines per chunk rather than one enqueue per line.
      let chunk = "";
      while (chunk.length < 64 * 1024) {
        const next = await lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await lines.return?.();
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="bulwark-findings-${day}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
