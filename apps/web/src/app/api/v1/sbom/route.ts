import { AppError, isSha256Digest, parseCycloneDx } from "@bulwark/core";
import { connectorFor } from "../../../../server/connector.ts";
import { methodNotAllowed, route } from "../../../../server/http.ts";

function digestFor(req: Request, body: unknown): string {
  const fromQuery = new URL(req.url).searchParams.get("digest");
  if (fromQuery !== null) {
    if (!isSha256Digest(fromQuery)) throw new AppError("VALIDATION_FAILED", "Invalid image digest", { fields: [{ path: "digest", message: "Expected sha256: followed by 64 hex characters" }] });
    return fromQuery.toLowerCase();
  }
  // Validates the SBOM as a side effect, so a bad body is answered with its own field paths first.
  const fromSbom = parseCycloneDx(body).image?.digest ?? null;
  if (fromSbom && isSha256Digest(fromSbom)) return fromSbom.toLowerCase();
  throw new AppError("VALIDATION_FAILED", "The image digest is unknown", {
    fields: [{ path: "digest", message: "Pass ?digest=sha256:… or send an SBOM whose metadata.component names the image digest" }],
  });
}

// A CycloneDX JSON SBOM (1.4–1.7) for one image digest.
export const POST = route(async (req) => connectorFor(req, "SBOM", (body) => digestFor(req, body)));

export const { GET, PUT, PATCH, DELETE } = methodNotAllowed("POST");
