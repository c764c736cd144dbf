// A line diff for the policy version view: longest common subsequence over lines. Policy YAML is tens
// to a few hundred lines, so the quadratic table is small; past MAX_CELLS the whole text is shown as
// replaced rather than spending seconds in the browser.

export type DiffLine =
  | { type: "same"; text: string; oldNo: number; newNo: number }
  | { type: "del"; text: string; oldNo: number }
  | { type: "add"; text: string; newNo: number };

const MAX_CELLS = 4_000_000;

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  // A trailing newline ends the last line; it does not start an empty one.
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Common head and tail first: version diffs are usually a few changed lines in a long text.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ type: "same", text: a[i]!, oldNo: i + 1, newNo: i + 1 });

  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    midA.forEach((text, i) => out.push({ type: "del", text, oldNo: head + i + 1 }));
    midB.forEach((text, j) => out.push({ type: "add", text, newNo: head + j + 1 }));
  } else {
    // lcs[i][j] = LCS length of midA[i..] and midB[j..], flattened.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = midA[i] === midB[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ type: "same", text: midA[i]!, oldNo: head + i + 1, newNo: head + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // Removals before additions on ties: a changed line reads "- old" then "+ new".
        out.push({ type: "del", text: midA[i]!, oldNo: head + i + 1 });
        i++;
      } else {
        out.push({ type: "add", text: midB[j]!, newNo: head + j + 1 });
        j++;
      }
    }
  }

  for (let k = tail; k > 0; k--) {
    const ai = a.length - k;
    const bi = b.length - k;
    out.push({ type: "same", text: a[ai]!, oldNo: ai + 1, newNo: bi + 1 });
  }
  return out;
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.type === "add") added++;
    else if (l.type === "del") removed++;
  }
  return { added, removed };
}

/**
 * Lines to render: changes with `context` unchanged lines around them; longer unchanged runs become
 * one `skip` marker so a one-line change in a long policy stays readable.
 */
export function withContext(lines: readonly DiffLine[], context = 3): (DiffLine | { type: "skip"; count: number })[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.type === "same") return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: (DiffLine | { type: "skip"; count: number })[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (keep[i]) {
      if (skipped > 0) out.push({ type: "skip", count: skipped });
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped > 0) out.push({ type: "skip", count: skipped });
  return out;
}
