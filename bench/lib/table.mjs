/** One printed line of figures. `goal` is informational: benchmarks report, they never assert. */
export function row(benchmark, figure, value, goal = "") {
  return { benchmark, figure, value, goal };
}

const cell = (s) => String(s).replaceAll("|", "\\|");

/** A Markdown table, padded so it also reads well in a terminal. */
export function renderTable(rows) {
  const header = ["Benchmark", "Figure", "Value", "Goal"];
  const cells = [header, ...rows.map((r) => [r.benchmark, r.figure, r.value, r.goal].map(cell))];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(" | ")} |`;
  return [line(cells[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.slice(1).map(line)].join("\n");
}

/** A goal with whether this run met it, e.g. "≤ 25 KiB gzip — missed". */
export function goal(text, met) {
  return `${text} — ${met ? "met" : "missed"}`;
}
