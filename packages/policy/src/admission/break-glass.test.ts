import { describe, expect, it } from "vitest";
import { BREAK_GLASS_ANNOTATION, BREAK_GLASS_UNTIL_ANNOTATION, readBreakGlass } from "./break-glass.ts";

const NOW = "2026-11-29T12:00:00.000Z";
const at = (reason: string | undefined, until: string | undefined) => ({
  ...(reason !== undefined ? { [BREAK_GLASS_ANNOTATION]: reason } : {}),
  ...(until !== undefined ? { [BREAK_GLASS_UNTIL_ANNOTATION]: until } : {}),
});

describe("readBreakGlass", () => {
  it("honours a reason with an expiry in the future within the maximum", () => {
    expect(readBreakGlass(at(" INC-1 hotfix ", "2026-11-29T18:00:00+02:00"), NOW, 24)).toEqual({ status: "valid", reason: "INC-1 hotfix", expiresAt: "2026-11-29T16:00:00.000Z" });
    expect(readBreakGlass({}, NOW)).toEqual({ status: "none" });
  });

  it.each([
    ["expired", at("r", "2026-11-29T11:59:59Z"), /expired at 2026-11-29T11:59:59.000Z/],
    ["too far", at("r", "2026-11-30T12:00:01Z"), /more than 24 h ahead/],
    ["not RFC 3339", at("r", "tomorrow"), /"tomorrow" is not an RFC 3339 time/],
    ["date only", at("r", "2026-11-30"), /not an RFC 3339 time/],
    ["no reason", at("  ", "2026-11-29T13:00:00Z"), /must give a reason/],
    ["no expiry", at("r", undefined), /must give an RFC 3339 expiry/],
    ["expiry only", at(undefined, "2026-11-29T13:00:00Z"), /must give a reason/],
  ])("ignores a break-glass that is %s, saying why", (_, annotations, why) => {
    const bg = readBreakGlass(annotations, NOW, 24);
    expect(bg.status).toBe("ignored");
    if (bg.status === "ignored") expect(bg.warning).toMatch(why);
  });

  it("takes the maximum as given", () => {
    expect(readBreakGlass(at("r", "2026-11-29T14:00:00Z"), NOW, 1).status).toBe("ignored");
    expect(readBreakGlass(at("r", "2026-11-29T12:30:00Z"), NOW, 1).status).toBe("valid");
  });
});
