import { describe, expect, it } from "vitest";
import { DecisionPages, PAGE_BYTES } from "../src/decision-pages.ts";

// Queued decisions as bytes in reused pages: every decision comes back byte for byte, batches are
// valid JSON array elements across page boundaries, and pages are reused once emptied.

const decision = (i: number, pad = 0) => JSON.stringify({ uid: `uid-${i}`, message: `Container "ä${i}" – ${"x".repeat(pad)}` });

describe("DecisionPages", () => {
  it("gives back what was stored, across pages and for decisions larger than a page", () => {
    const pages = new DecisionPages();
    const texts = Array.from({ length: 400 }, (_, i) => decision(i, (i * 37) % 900));
    texts.splice(150, 0, decision(-1, PAGE_BYTES * 2), decision(-2, PAGE_BYTES - 60));
    const handles = texts.map((t) => pages.store(t));
    expect(pages.pageCount).toBeGreaterThan(3);
    handles.forEach((h, i) => expect(pages.size(h)).toBe(Buffer.byteLength(texts[i]!) + 1));
    for (const [from, to] of [[0, texts.length], [0, 1], [149, 153], [10, 300], [399, texts.length]] as const) {
      const inner = pages.text(handles, from, to, false).toString("utf8");
      expect(JSON.parse(`[${inner}]`)).toEqual(texts.slice(from, to).map((t) => JSON.parse(t) as unknown));
      expect(pages.text(handles, from, to, true).toString("utf8")).toBe(`${inner},`);
    }
  });

  it("reuses emptied pages instead of growing", () => {
    const pages = new DecisionPages();
    let queued: number[] = [];
    let most = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 500; i++) queued.push(pages.store(decision(round * 1000 + i, 200)));
      for (const h of queued.slice(0, -500)) pages.release(h);
      queued = queued.slice(-500);
      most = Math.max(most, pages.pageCount);
      if (round % 10 === 9) expect(JSON.parse(`[${pages.text(queued, 0, queued.length, false).toString("utf8")}]`)).toHaveLength(500);
    }
    // A thousand decisions of ~280 bytes at most are held at once: about five pages, not fifty rounds' worth.
    expect(most).toBeLessThanOrEqual(Math.ceil((1000 * 300) / PAGE_BYTES) + 1);
    for (const h of queued) pages.release(h);
    expect(pages.pageCount).toBe(1);
  });
});
