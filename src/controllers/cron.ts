/**
 * The cron schedule syntax CronJobs use (robfig/cron/v3 ParseStandard, as kube-controller-manager
 * uses it): five fields (minute hour day-of-month month day-of-week) with `*`, `?`, lists, ranges,
 * steps and month/day names, or a descriptor (@yearly, @annually, @monthly, @weekly, @daily,
 * @midnight, @hourly, @every <duration>). When both day fields are restricted a time matches
 * either of them, as in Vixie cron. Times are evaluated in UTC (or a fixed `TZ=`/`CRON_TZ=` of UTC).
 */
export class CronParseError extends Error {}

interface Field {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } },
  { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } },
];

export interface Schedule {
  /** The first activation strictly after `ms` (epoch milliseconds), or undefined. */
  next(ms: number): number | undefined;
}

class SpecSchedule implements Schedule {
  constructor(
    readonly minute: Set<number>,
    readonly hour: Set<number>,
    readonly dom: Set<number>,
    readonly month: Set<number>,
    readonly dow: Set<number>,
    readonly domStar: boolean,
    readonly dowStar: boolean,
  ) {}

  private dayMatches(d: Date): boolean {
    const domOk = this.dom.has(d.getUTCDate());
    const dowOk = this.dow.has(d.getUTCDay());
    if (this.domStar || this.dowStar) return domOk && dowOk;
    return domOk || dowOk;
  }

  next(ms: number): number | undefined {
    // Start at the next whole minute.
    let t = Math.floor(ms / 60_000) * 60_000 + 60_000;
    const limit = ms + 5 * 366 * 24 * 3600_000;
    while (t <= limit) {
      const d = new Date(t);
      if (!this.month.has(d.getUTCMonth() + 1)) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
        continue;
      }
      if (!this.dayMatches(d)) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
        continue;
      }
      if (!this.hour.has(d.getUTCHours())) {
        t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
        continue;
      }
      if (!this.minute.has(d.getUTCMinutes())) {
        t += 60_000;
        continue;
      }
      return t;
    }
    return undefined;
  }
}

class EverySchedule implements Schedule {
  constructor(private readonly periodMs: number) {}
  next(ms: number): number {
    return Math.floor(ms / 1000) * 1000 + this.periodMs;
  }
}

function parseValue(text: string, f: Field): number {
  const lower = text.toLowerCase();
  if (f.names && lower in f.names) return f.names[lower];
  if (!/^\d+$/.test(text)) throw new CronParseError(`failed to parse int from ${text}: strconv.Atoi: parsing "${text}": invalid syntax`);
  return Number(text);
}

function parseField(expr: string, f: Field): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  let star = false;
  for (const part of expr.split(",")) {
    const [rangeText, stepText, extra] = part.split("/");
    if (extra !== undefined) throw new CronParseError(`too many slashes: ${part}`);
    let lo: number;
    let hi: number;
    if (rangeText === "*" || rangeText === "?") {
      lo = f.min;
      hi = f.max;
      if (stepText === undefined) star = true;
    } else {
      const bounds = rangeText.split("-");
      if (bounds.length > 2) throw new CronParseError(`too many hyphens: ${rangeText}`);
      lo = parseValue(bounds[0], f);
      hi = bounds.length === 2 ? parseValue(bounds[1], f) : stepText !== undefined ? f.max : lo;
    }
    const step = stepText === undefined ? 1 : parseValue(stepText, { min: 0, max: 0 });
    if (lo < f.min) throw new CronParseError(`beginning of range (${lo}) below minimum (${f.min}): ${part}`);
    if (hi > f.max) throw new CronParseError(`end of range (${hi}) above maximum (${f.max}): ${part}`);
    if (lo > hi) throw new CronParseError(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    if (step === 0) throw new CronParseError(`step of range should be a positive number: ${part}`);
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** Parses a schedule; errors carry robfig/cron's texts. */
export function parseSchedule(spec: string): Schedule {
  let s = spec.trim();
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(s);
  if (tz) {
    if (tz[1] !== "UTC" && tz[1] !== "Etc/UTC") throw new CronParseError(`time zone ${tz[1]} is not supported by this simulation (UTC only)`);
    s = tz[2];
  }
  if (s.startsWith("@every ")) {
    const m = /^@every\s+(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(s);
    if (!m || !(m[1] || m[2] || m[3])) throw new CronParseError(`failed to parse duration ${s}`);
    const ms = ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
    return new EverySchedule(Math.max(ms, 1000));
  }
  if (s.startsWith("@")) {
    if (!DESCRIPTORS[s]) throw new CronParseError(`unrecognized descriptor: ${s}`);
    s = DESCRIPTORS[s];
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`);
  const parsed = fields.map((f, i) => parseField(f, FIELDS[i]));
  return new SpecSchedule(parsed[0].set, parsed[1].set, parsed[2].set, parsed[3].set, parsed[4].set, parsed[2].star, parsed[4].star);
}
