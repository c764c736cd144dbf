import { describe, expect, it } from "vitest";
import { CRON_PRESETS, describeCron } from "./cron.ts";

describe("describeCron", () => {
  it.each([
    ["0 3 * * *", "Every day at 03:00 UTC"],
    ["30 14 * * *", "Every day at 14:30 UTC"],
    ["0 3 * * 1", "Every Monday at 03:00 UTC"],
    ["0 3 * * 0", "Every Sunday at 03:00 UTC"],
    ["0 3 * * 7", "Every Sunday at 03:00 UTC"],
    ["15 2 * * 1-5", "Every weekday (Monday to Friday) at 02:15 UTC"],
    ["0 4 1 * *", "On the 1st of every month at 04:00 UTC"],
    ["0 4 22 * *", "On the 22nd of every month at 04:00 UTC"],
    ["0 4 13 * *", "On the 13th of every month at 04:00 UTC"],
    ["0 */6 * * *", "Every 6 hours at minute 0 (from 00:00 UTC)"],
    ["5 * * * *", "Every hour at minute 5"],
    ["*/15 * * * *", "Every 15 minutes"],
    ["0 0 3 * * *", "Every day at 03:00 UTC"],
    ["  0   3 * *   * ", "Every day at 03:00 UTC"],
  ])("%s → %s", (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });

  it.each(["0 3 * 1 *", "0 3,15 * * *", "0 3 * * 1,3", "61 3 * * *", "0 24 * * *", "garbage", "0 3 * *", "30 0 3 * * *"])("leaves %s to be shown as a pattern", (cron) => {
    expect(describeCron(cron)).toBeNull();
  });

  it("has words for every preset", () => {
    for (const p of CRON_PRESETS) expect(describeCron(p.cron)).not.toBeNull();
  });
});
