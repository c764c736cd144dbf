"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";

const COLORS: Record<string, string> = {
  CRITICAL: "var(--sev-critical)",
  HIGH: "var(--sev-high)",
  MEDIUM: "var(--sev-medium)",
  LOW: "var(--sev-low)",
  INFO: "var(--sev-info)",
};

/** Bars link to `hrefFor(severity)` (the findings behind them); the same links exist as text beside the chart for keyboards. */
export function SeverityChart({ data, hrefBase }: { data: { severity: string; label: string; count: number }[]; hrefBase?: string }) {
  const router = useRouter();
  const go = (severity: string | undefined) => {
    if (hrefBase && severity) router.push(`${hrefBase}${hrefBase.includes("?") ? "&" : "?"}severity=${severity}`);
  };
  return (
    // Fixed height so the page does not jump when the chart measures itself after hydration. The
    // numbers are also rendered as text next to it for screen readers and tests.
    <div role="figure" aria-label="Open findings by severity" data-testid="severity-chart" className="h-60 w-full">
      <BarChart responsive data={data} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="label" tick={{ fill: "var(--muted)", fontSize: 12 }} stroke="var(--border)" />
        <YAxis allowDecimals={false} tick={{ fill: "var(--muted)", fontSize: 12 }} stroke="var(--border)" />
        <Tooltip cursor={{ fill: "var(--surface-2)" }} contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--fg)" }} />
        <Bar
          dataKey="count"
          name="Open findings"
          radius={[4, 4, 0, 0]}
          isAnimationActive={false}
          cursor={hrefBase ? "pointer" : undefined}
          onClick={(entry: { payload?: { severity?: string } }) => go(entry.payload?.severity)}
        >
          {data.map((d) => (
            <Cell key={d.severity} fill={COLORS[d.severity] ?? "var(--accent)"} data-testid={`severity-bar-${d.severity}`} />
          ))}
        </Bar>
      </BarChart>
    </div>
  );
}
