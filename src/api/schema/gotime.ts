/**
 * Go's time.Parse (src/time/format.go, Go 1.23: kube-apiserver v1.32's) for the two layouts the API
 * types parse with: metav1.Time's UnmarshalJSON uses time.RFC3339 and metav1.MicroTime's
 * RFC3339Micro (`2006-01-02T15:04:05.000000Z07:00`). Only whether the text parses and, when not,
 * Go's *time.ParseError text (`parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as
 * "2006"`, `…: month out of range`, `…: extra text: "…"`, `…: day out of range`) matter here: the
 * API server answers a patch whose result holds a time that does not parse with that text.
 */

export const RFC3339 = "2006-01-02T15:04:05Z07:00";
export const RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00";

type Std = "year" | "zeroMonth" | "zeroDay" | "hour" | "zeroMinute" | "zeroSecond" | "frac0" | "iso8601ColonTZ";

/** The layouts as nextStdChunk splits them: a literal prefix, then a std element and its text. */
const CHUNKS: Record<string, Array<[prefix: string, std: Std, text: string]>> = {
  [RFC3339]: [
    ["", "year", "2006"],
    ["-", "zeroMonth", "01"],
    ["-", "zeroDay", "02"],
    ["T", "hour", "15"],
    [":", "zeroMinute", "04"],
    [":", "zeroSecond", "05"],
    ["", "iso8601ColonTZ", "Z07:00"],
  ],
  [RFC3339_MICRO]: [
    ["", "year", "2006"],
    ["-", "zeroMonth", "01"],
    ["-", "zeroDay", "02"],
    ["T", "hour", "15"],
    [":", "zeroMinute", "04"],
    [":", "zeroSecond", "05"],
    ["", "frac0", ".000000"],
    ["", "iso8601ColonTZ", "Z07:00"],
  ],
};

/** time's quote: ASCII as is (`"` and `\` escaped), every other byte (UTF-8, controls) as `\xNN`. */
function quote(bytes: string): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    if (b >= 0x80 || b < 0x20) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else if (b === 0x22 || b === 0x5c) out += `\\${bytes[i]}`;
    else out += bytes[i];
  }
  return `${out}"`;
}

const isDigit = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** getnum: one or two digits (two when fixed). */
function getnum(s: string, fixed: boolean): [number, string, boolean] {
  if (!isDigit(s, 0)) return [0, s, false];
  if (!isDigit(s, 1)) {
    if (fixed) return [0, s, false];
    return [s.charCodeAt(0) - 48, s.slice(1), true];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2), true];
}

/** atoi: an optional sign, then digits only. */
function atoi(s: string): number | undefined {
  let t = s;
  let neg = false;
  if (t.length > 0 && (t[0] === "-" || t[0] === "+")) {
    neg = t[0] === "-";
    t = t.slice(1);
  }
  if (!/^[0-9]+$/.test(t)) return undefined;
  const n = Number(t);
  return neg ? -n : n;
}

/** parseNanoseconds: `.` or `,`, then digits; its range error or whether it failed. */
function parseNanoseconds(value: string, nbytes: number): { rangeErr?: string; ok: boolean } {
  if (value[0] !== "." && value[0] !== ",") return { ok: false };
  const ns = atoi(value.slice(1, Math.min(nbytes, 10)));
  if (ns === undefined) return { ok: false };
  if (ns < 0) return { rangeErr: "fractional second", ok: true };
  return { ok: true };
}

const daysIn = (month: number, year: number) => (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!);

/**
 * time.Parse(layout, value)'s error text, or undefined when it parses. `value` is the JSON string's
 * text (its UTF-8 bytes are what Go reads).
 */
export function goTimeParseError(layout: typeof RFC3339 | typeof RFC3339_MICRO, value: string): string | undefined {
  const avalue = Buffer.from(value, "utf8").toString("latin1");
  const err = (stdstr: string, rest: string, message = "") =>
    message ? `parsing time ${quote(avalue)}${message}` : `parsing time ${quote(avalue)} as ${quote(layout)}: cannot parse ${quote(rest)} as ${quote(stdstr)}`;
  let v = avalue;
  let year = 0;
  let month = -1;
  let day = -1;
  for (const [prefix, std, stdstr] of CHUNKS[layout]!) {
    // skip: the literal prefix, byte for byte.
    for (const c of prefix) {
      if (v.length === 0 || v[0] !== c) return err(prefix, v);
      v = v.slice(1);
    }
    const hold = v;
    let ok = true;
    let rangeErr = "";
    switch (std) {
      case "year": {
        if (v.length < 4 || !isDigit(v, 0)) {
          ok = false;
          break;
        }
        const y = atoi(v.slice(0, 4));
        v = v.slice(4);
        if (y === undefined) ok = false;
        else year = y;
        break;
      }
      case "zeroMonth":
        [month, v, ok] = getnum(v, true);
        if (ok && (month <= 0 || month > 12)) rangeErr = "month";
        break;
      case "zeroDay":
        [day, v, ok] = getnum(v, true);
        break;
      case "hour": {
        let hour;
        [hour, v, ok] = getnum(v, false);
        if (hour < 0 || hour >= 24) rangeErr = "hour";
        break;
      }
      case "zeroMinute": {
        let min;
        [min, v, ok] = getnum(v, true);
        if (min < 0 || min >= 60) rangeErr = "minute";
        break;
      }
      case "zeroSecond": {
        let sec;
        [sec, v, ok] = getnum(v, true);
        if (!ok) break;
        if (sec < 0 || sec >= 60) {
          rangeErr = "second";
          break;
        }
        // A fraction the layout does not have is taken here; a layout with one parses it next.
        if (v.length >= 2 && (v[0] === "." || v[0] === ",") && isDigit(v, 1) && layout !== RFC3339_MICRO) {
          let n = 2;
          while (n < v.length && isDigit(v, n)) n++;
          const r = parseNanoseconds(v, n);
          ok = r.ok;
          rangeErr = r.rangeErr ?? "";
          v = v.slice(n);
        }
        break;
      }
      case "frac0": {
        const ndigit = 1 + 6;
        if (v.length < ndigit) {
          ok = false;
          break;
        }
        const r = parseNanoseconds(v, ndigit);
        ok = r.ok;
        rangeErr = r.rangeErr ?? "";
        v = v.slice(ndigit);
        break;
      }
      case "iso8601ColonTZ": {
        if (v.length >= 1 && v[0] === "Z") {
          v = v.slice(1);
          break;
        }
        if (v.length < 6 || v[3] !== ":") {
          ok = false;
          break;
        }
        const [sign, hh, mm] = [v[0], v.slice(1, 3), v.slice(4, 6)];
        v = v.slice(6);
        const [hr, , okH] = getnum(hh, true);
        const [mi, , okM] = okH ? getnum(mm, true) : [0, "", false];
        ok = okH && okM;
        if (hr > 24) rangeErr = "time zone offset hour";
        if (mi > 60) rangeErr = "time zone offset minute";
        if (sign !== "+" && sign !== "-") ok = false;
        break;
      }
    }
    if (rangeErr) return err(stdstr, v, `: ${rangeErr} out of range`);
    if (!ok) return err(stdstr, hold);
  }
  if (v.length !== 0) return err("", v, `: extra text: ${quote(v)}`);
  if (day < 1 || day > daysIn(month, year)) return err("", v, ": day out of range");
  return undefined;
}
