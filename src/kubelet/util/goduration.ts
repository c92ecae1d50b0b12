/**
 * Go's time.Duration.String() for millisecond values: `10s`, `1m20s`, `5m0s`, `1.2s`, `523ms`,
 * `1h0m0s` — the form the kubelet prints in messages (`back-off 20s restarting ...`,
 * `Successfully pulled image "x" in 1.2s`).
 */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  const neg = ms < 0;
  let v = Math.abs(Math.round(ms));
  let out: string;
  if (v < 1000) {
    out = `${v}ms`;
  } else {
    const h = Math.floor(v / 3_600_000);
    v -= h * 3_600_000;
    const m = Math.floor(v / 60_000);
    v -= m * 60_000;
    const s = Math.floor(v / 1000);
    const frac = v - s * 1000;
    const secs = frac ? `${s}.${String(frac).padStart(3, "0").replace(/0+$/, "")}` : String(s);
    out = h ? `${h}h${m}m${secs}s` : m ? `${m}m${secs}s` : `${secs}s`;
  }
  return neg ? `-${out}` : out;
}
