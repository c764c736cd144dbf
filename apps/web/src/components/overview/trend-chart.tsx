"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

export interface TrendDatum {
  day: string;
  score: number;
  critical: number;
  high: number;
}

/** Score (left axis) and open critical/high findings (right axis) per day, from the daily posture snapshots. */
export function TrendChart({ data }: { data: TrendDatum[] }) {
  return (
    <div role="figure" aria-label="Posture trend, last 30 days" data-testid="trend-chart" className="h-56 w-full">
      <LineChart responsive data={data} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} tick={{ fill: "var(--muted)", fontSize: 11 }} stroke="var(--border)" minTickGap={24} />
        <YAxis yAxisId="score" domain={[0, 100]} tick={{ fill: "var(--muted)", fontSize: 11 }} stroke="var(--border)" />
        <YAxis yAxisId="count" orientation="right" allowDecimals={false} tick={{ fill: "var(--muted)", fontSize: 11 }} stroke="var(--border)" />
        <Tooltip contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--fg)" }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line yAxisId="score" type="monotone" dataKey="score" name="Score" stroke="var(--accent)" strokeWidth={2} dot={false} isAnimationActive={false} />
        <Line yAxisId="count" type="monotone" dataKey="critical" name="Critical open" stroke="var(--sev-critical)" dot={false} isAnimationActive={false} />
        <Line yAxisId="count" type="monotone" dataKey="high" name="High open" stroke="var(--sev-high)" strokeDasharray="4 3" dot={false} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}
