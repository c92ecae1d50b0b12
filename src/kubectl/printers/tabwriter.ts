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

/** Unicode code points in `s` (as `[...s].length`: a surrogate pair is one, a lone surrogate one), without an array per cell. */
export function width(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

export function tabwrite(text: string, opts: TabWriterOptions = KUBECTL_TABWRITER): string {
  return tabwriteLines(text.split("\n").map((l) => l.split("\t")), opts);
}

/** `tabwrite` of text already split into lines of cells. */
function tabwriteLines(lines: string[][], opts: TabWriterOptions): string {
  // Each cell's width, measured once (a cell is measured for its column block and again when written).
  const cellWidths = lines.map((cells) => cells.map(width));
  return rectangular(lines) ? tabwriteRectangular(lines, cellWidths, opts) : tabwriteBlocks(lines, cellWidths, opts);
}

/**
 * Whether every line has the same number of cells, but for an empty last line (text ending in a
 * newline, as every table kubectl prints does).
 */
function rectangular(lines: string[][]): boolean {
  const n = lines[0].length;
  const last = lines.length - 1;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].length !== n && !(i === last && lines[i].length === 1 && lines[i][0] === "")) return false;
  }
  return true;
}

/**
 * A table whose lines all have the same cells (but an empty last line): every column's block is
 * every line, so what `tabwriteBlocks` works out block by block is each column's widest cell plus
 * the padding (at least the minimum width), for all lines at once. The same text. `remembered`
 * (liggitt/tabwriter's RememberWidths) holds the widths of earlier flushes: a column is at least as
 * wide, and the widths found are kept there.
 */
function tabwriteRectangular(lines: string[][], cellWidths: number[][], opts: TabWriterOptions, remembered?: number[]): string {
  const columns = lines[0].length - 1;
  const widths: number[] = [];
  for (let j = 0; j < columns; j++) {
    let w = Math.max(opts.minWidth, remembered?.[j] ?? 0);
    for (let i = 0; i < lines.length; i++) {
      if (j < lines[i].length - 1) {
        const cw = cellWidths[i][j] + opts.padding;
        if (cw > w) w = cw;
      }
    }
    widths.push(w);
    if (remembered) remembered[j] = w;
  }
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const cells = lines[i];
    const cw = cellWidths[i];
    let line = "";
    for (let j = 0; j < cells.length; j++) {
      line += cells[j];
      if (j < cells.length - 1) line += " ".repeat(Math.max(0, widths[j] - cw[j]));
    }
    out.push(line);
  }
  return out.join("\n");
}

/** Go's algorithm as it is (exported for the test that compares both on random tables). */
export function tabwriteBlocks(lines: string[][], cellWidths: number[][], opts: TabWriterOptions = KUBECTL_TABWRITER): string {
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      const cw = cellWidths[i];
      let line = "";
      for (let j = 0; j < cells.length; j++) {
        line += cells[j];
        if (j < widths.length && j < cells.length - 1) line += " ".repeat(Math.max(0, widths[j] - cw[j]));
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
        const cw = cellWidths[th][column] + opts.padding;
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
  // Cells without tabs or newlines are the lines' cells as they are (the text would split back into them).
  if (rows.every((r) => r.length > 0 && r.every((c) => !c.includes("\t") && !c.includes("\n")))) return tabwriteLines([...rows, [""]], KUBECTL_TABWRITER);
  return tabwrite(rows.map((r) => r.join("\t")).join("\n") + "\n");
}

/**
 * liggitt/tabwriter with its RememberWidths flag, as kubectl's printers use it
 * (cli-runtime printers.GetNewTabWriter): a column's width is kept from one flush to the next and
 * only grows, so the rows `kubectl get -w` prints for watch events keep the columns of the list
 * above them and widen for a longer cell (`ContainerCreating`), staying wide afterwards.
 */
export class RememberingTabWriter {
  private readonly widths: number[] = [];

  constructor(private readonly opts: TabWriterOptions = KUBECTL_TABWRITER) {}

  /** One flush: rows of cells of one table (every row's last cell unpadded); each line ends with a newline. */
  flush(rows: string[][]): string {
    if (rows.length === 0) return "";
    const lines = [...rows, [""]];
    return tabwriteRectangular(lines, lines.map((cells) => cells.map(width)), this.opts, this.widths);
  }
}
