// The rescan schedule in words. No cron library ships with the web app, so only the patterns people
// actually write (daily, weekly, monthly, every N hours/minutes) are put into words; anything else
// is shown as its pattern, with the last time it fired next to it.

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const NUM = /^\d{1,2}$/;

const pad = (n: number) => String(n).padStart(2, "0");

function time(minute: string, hour: string): string | null {
  if (!NUM.test(minute) || !NUM.test(hour)) return null;
  const m = Number(minute);
  const h = Number(hour);
  return m < 60 && h < 24 ? `${pad(h)}:${pad(m)} UTC` : null;
}

function dayName(field: string): string | null {
  if (!NUM.test(field)) return null;
  const d = Number(field);
  // 0 and 7 are both Sunday in cron.
  return d <= 7 ? (DAYS[d % 7] ?? null) : null;
}

function ordinal(n: number): string {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th"}`;
}

/** A plain description of a 5-field cron pattern (UTC), or null when it is not a common shape. */
export function describeCron(pattern: string): string | null {
  let fields = pattern.trim().split(/\s+/);
  // Six fields carry seconds first; "at second 0" reads the same as the five-field pattern.
  if (fields.length === 6 && fields[0] === "0") fields = fields.slice(1);
  if (fields.length !== 5) return null;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (month !== "*") return null;

  const everyMinutes = /^\*\/(\d{1,2})$/.exec(minute);
  if (everyMinutes && hour === "*" && dom === "*" && dow === "*") {
    const n = Number(everyMinutes[1]);
    return n === 1 ? "Every minute" : `Every ${n} minutes`;
  }
  if (minute === "*" && hour === "*" && dom === "*" && dow === "*") return "Every minute";

  if (NUM.test(minute) && Number(minute) < 60 && dom === "*" && dow === "*") {
    if (hour === "*") return `Every hour at minute ${Number(minute)}`;
    const everyHours = /^\*\/(\d{1,2})$/.exec(hour);
    if (everyHours) {
      const n = Number(everyHours[1]);
      return n === 1 ? `Every hour at minute ${Number(minute)}` : `Every ${n} hours at minute ${Number(minute)} (from 00:${pad(Number(minute))} UTC)`;
    }
  }

  const at = time(minute, hour);
  if (!at) return null;
  if (dom === "*" && dow === "*") return `Every day at ${at}`;
  if (dom === "*" && (dow === "1-5" || dow === "MON-FRI")) return `Every weekday (Monday to Friday) at ${at}`;
  if (dom === "*" && (dow === "0,6" || dow === "6,0" || dow === "SAT,SUN")) return `Every Saturday and Sunday at ${at}`;
  if (dom === "*") {
    const day = dayName(dow);
    return day ? `Every ${day} at ${at}` : null;
  }
  if (dow === "*" && NUM.test(dom) && Number(dom) >= 1 && Number(dom) <= 31) return `On the ${ordinal(Number(dom))} of every month at ${at}`;
  return null;
}

/** Patterns offered next to the input; any valid 5-field cron is accepted. */
export const CRON_PRESETS: { cron: string; label: string }[] = [
  { cron: "0 3 * * *", label: "Every day at 03:00 UTC" },
  { cron: "0 */6 * * *", label: "Every 6 hours" },
  { cron: "0 */12 * * *", label: "Every 12 hours" },
  { cron: "0 3 * * 1", label: "Every Monday at 03:00 UTC" },
];
