import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, ERROR_CODES, toProblem } from "./errors.ts";

describe("problem details", () => {
  it("maps every code to its status and a stable type URI", () => {
    for (const [code, def] of Object.entries(ERROR_CODES)) {
      const p = toProblem(new AppError(code as keyof typeof ERROR_CODES, "m"), "/api/x");
      expect(p.status).toBe(def.status);
      expect(p.title).toBe(def.title);
      expect(p.type).toMatch(/^https:\/\/bulwark\.dev\/problems\/[a-z-]+$/);
      expect(p.instance).toBe("/api/x");
    }
  });

  it("never echoes the message of an unexpected error", () => {
    const p = toProblem(new Error("connect ECONNREFUSED 10.0.0.5:5432 password=hunter2"));
    expect(p.status).toBe(500);
    expect(JSON.stringify(p)).not.toContain("hunter2");
    expect(JSON.stringify(p)).not.toContain("10.0.0.5");
  });

  it("turns zod issues into field paths", () => {
    const r = z.object({ items: z.array(z.object({ name: z.string() })) }).safeParse({ items: [{ name: 1 }] });
    if (r.success) throw new Error("expected failure");
    const p = toProblem(AppError.fromZod(r.error));
    expect(p.status).toBe(400);
    expect(p.errors?.[0]?.path).toBe("items.0.name");
  });
});
