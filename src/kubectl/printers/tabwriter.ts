/**
 * Go's text/tabwriter as kubectl configures it (cli-runtime printers.GetNewTabWriter: minwidth 6,
 * tabwidth 4, padding 3, padchar ' ', no flags): elastic tabstops. A column block is a run of
 * consecutive lines that have a tab-terminated cell at that column; every cell of the block is
 * padded to the block's widest cell plus the padding. The text after a line's last tab is not a
 * column cell and is never padded. Widths count Unicode code points, as Go counts runes.
 */
export interface TabWriterOptions {
  minWidth: number;
  padding: number;
}

export const KUBECTL_TABWRITER: TabWriterOptions = { minWidth: 6, padding: 3 };

const width = (s: string) => [...s].length;

export function tabwrite(text: string, opts: TabWriterOptions = KUBECTL_TABWRITER): string {
  const lines = text.split("\n").map((l) => l.split("\t"));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let line = "";
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j];
        line += c;
        if (j < widths.length && j < cells.length - 1) line += " ".repeat(Math.max(0, widths[j] - width(c)));
      }
      out.push(line);
    }
  };

  // Port of tabwriter.(*Writer).format: recursive over columns, one block at a time.
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let th = line0; th < line1; th++) {
      if (column >= lines[th].length - 1) continue;
      writeLines(line0, th);
      line0 = th;
      let w = opts.minWidth;
      for (; th < line1; th++) {
        const cells = lines[th];
        if (column >= cells.length - 1) break;
        const cw = width(cells[column]) + opts.padding;
        if (cw > w) w = cw;
      }
      widths.push(w);
      format(line0, th);
      widths.pop();
      line0 = th;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join("\n");
}

/** Formats rows of cells (tab-joined) through the tabwriter; each line ends with a newline. */
export function formatRows(rows: string[][]): string {
  if (rows.length === 0) return "";
  return tabwrite(rows.map((r) => r.join("\t")).join("\n") + "\n");
}
