// A handful of counters and gauges in the Prometheus text format (GET /metrics), written by hand:
// the enforcer needs no metrics library for a dozen numbers.

type Labels = Record<string, string>;

/** A value in a mutable cell: adding to it in place allocates nothing (a Map of numbers would box each new float). */
interface Cell {
  v: number;
}

interface Series {
  help: string;
  type: "counter" | "gauge";
  values: Map<string, Cell>;
}

const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? "" : `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`))}"`).join(",")}}`;
};

export class Metrics {
  private readonly series = new Map<string, Series>();
  private readonly gauges = new Map<string, () => number>();

  private get(name: string, type: Series["type"], help: string): Series {
    let s = this.series.get(name);
    if (!s) {
      s = { help, type, values: new Map() };
      this.series.set(name, s);
    }
    return s;
  }

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    this.cell(name, help, labels).v += by;
  }

  /**
   * A counter series to add to on a hot path (every review): resolved once, then each add is one
   * addition, without formatting labels or looking anything up. The series shows from its first add.
   */
  counter(name: string, help: string, labels: Labels = {}): (by?: number) => void {
    let cell: Cell | undefined;
    return (by = 1) => {
      cell ??= this.cell(name, help, labels);
      cell.v += by;
    };
  }

  private cell(name: string, help: string, labels: Labels): Cell {
    const s = this.get(name, "counter", help);
    const key = labelText(labels);
    let cell = s.values.get(key);
    if (!cell) {
      cell = { v: 0 };
      s.values.set(key, cell);
    }
    return cell;
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => number): void {
    this.get(name, "gauge", help);
    this.gauges.set(name, read);
  }

  value(name: string, labels: Labels = {}): number {
    const read = this.gauges.get(name);
    if (read) return read();
    return this.series.get(name)?.values.get(labelText(labels))?.v ?? 0;
  }

  text(): string {
    const lines: string[] = [];
    for (const [name, s] of this.series) {
      lines.push(`# HELP ${name} ${s.help}`, `# TYPE ${name} ${s.type}`);
      const read = this.gauges.get(name);
      if (read) lines.push(`${name} ${read()}`);
      else for (const [labels, cell] of s.values) lines.push(`${name}${labels} ${cell.v}`);
    }
    return `${lines.join("\n")}\n`;
  }
}
