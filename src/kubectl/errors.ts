/**
 * How kubectl prints a failed request (k8s.io/kubectl/pkg/cmd/util/helpers.go checkErr and
 * StandardErrorMessage).
 */
import { ApiError, goQuote } from "../api/errors.ts";
import { KubectlError, type Invocation } from "./command.ts";

export function renderError(e: ApiError): string {
  if (e.reason === "Invalid" && e.details) {
    const prefix = e.details.kind || e.details.name ? `The ${e.details.kind} ${goQuote(e.details.name)} is invalid: ` : "The request is invalid: ";
    // statusCausesToAggrError prints `<field>: <message>` even for a cause without a field (a
    // ValidatingAdmissionPolicy denial: `The deployments "x" is invalid: : ValidatingAdmissionPolicy …`).
    const causes = e.details.causes.map((c) => `${c.field}: ${c.detail}`);
    if (causes.length === 0) return `${prefix}${e.message}`;
    // MultilineError ends the text with a newline of its own, so a cause that ends with one (the
    // diff of a forbidden pod update) leaves an empty line after it.
    const end = causes[causes.length - 1]!.endsWith("\n") ? "\n" : "";
    if (causes.length === 1) return `${prefix}${causes[0]}${end}`;
    return `${prefix}\n${causes.map((c) => `* ${c}`).join("\n")}${end}`;
  }
  return apiErrorText(e);
}

/** StandardErrorMessage: `Error from server (<Reason>): <message>`, without the parentheses for an unknown reason. */
export function apiErrorText(e: ApiError): string {
  return e.reason ? `Error from server (${e.reason}): ${e.message}` : `Error from server: ${e.message}`;
}

/** The process id the in-process kubectl gives klog's header (a real kubectl prints its own). */
export const KLOG_PID = 4242;

/**
 * A klog line as kubectl writes it to stderr: `W0108 00:00:00.000000    4242 helpers.go:702] msg`
 * (severity, month and day, time with microseconds, process id padded to 7, source file:line).
 */
export function klogLine(severity: "I" | "W" | "E", nowMs: number, source: string, message: string): string {
  const d = new Date(nowMs);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, "0")}`;
  return `${severity}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${time} ${String(KLOG_PID).padStart(7)} ${source}] ${message}`;
}

/**
 * An error as cmdutil.CheckErr sees it: an API status (ApiError), a plain error (KubectlError, Go's
 * fmt.Errorf), or an aggregate of errors (utilerrors.Aggregate: what the builder's
 * ContinueOnError visitors and the commands that go on after a failed object return).
 */
export type CmdError = ApiError | KubectlError | Aggregate;

export class Aggregate {
  constructor(readonly errors: CmdError[]) {}
}

/** err.Error(): a status's message, a plain error's text, an aggregate's `[a, b]` (duplicates once, one error bare). */
export function errorString(e: CmdError): string {
  if (e instanceof Aggregate) {
    const seen: string[] = [];
    const visit = (x: CmdError): void => {
      if (x instanceof Aggregate) for (const y of x.errors) visit(y);
      else if (!seen.includes(errorString(x))) seen.push(errorString(x));
    };
    visit(e);
    return seen.length === 1 ? seen[0]! : seen.length === 0 ? "" : `[${seen.join(", ")}]`;
  }
  if (e instanceof ApiError) return e.message;
  return e.raw ? e.message.replace(/\n$/, "") : e.message;
}

/** messageForError: StandardErrorMessage for an API status (`Error from server (Reason): ...`), else Error(). */
function messageForError(e: CmdError): string {
  return e instanceof ApiError ? apiErrorText(e) : errorString(e);
}

/** utilerrors.Reduce(NewAggregate(errs)): nothing, the one error, or their aggregate. */
export function reduceErrors(errs: CmdError[]): CmdError | undefined {
  return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : new Aggregate(errs);
}

/**
 * cmdutil.CheckErr's text for a command's error (without the final newline): an aggregate of one is
 * unwrapped; an Invalid status prints its causes (`The ConfigMap "x" is invalid: ...`); an aggregate
 * prints each error on its line (MultipleErrors: statuses as `Error from server (...)`, the others
 * bare); another status its standard message; a plain error gets `error: ` before it.
 */
export function checkErrText(err: CmdError): string {
  if (err instanceof Aggregate && err.errors.length === 1) err = err.errors[0]!;
  if (err instanceof Aggregate) return err.errors.map(messageForError).join("\n");
  if (err instanceof ApiError) return renderError(err);
  const msg = errorString(err);
  return err.raw || msg.startsWith("error: ") ? msg : `error: ${msg}`;
}

/** cmdutil.AddSourceToErr: `error when <verb> "<source>": ...`, a status kept a status (its reason and details). */
export function addSourceToErr(verb: string, source: string, e: unknown): CmdError {
  if (e instanceof ApiError) {
    const out = new ApiError(e.reason, `error when ${verb} ${JSON.stringify(source)}: ${e.message}`, e.details);
    return out;
  }
  if (e instanceof KubectlError) return new KubectlError(`error when ${verb} ${JSON.stringify(source)}: ${errorString(e)}`);
  throw e;
}

/** An error a command caught, as CheckErr would take it (API statuses and kubectl's own errors; anything else is a bug and is thrown). */
export function asCmdError(e: unknown): CmdError {
  if (e instanceof ApiError || e instanceof KubectlError || e instanceof Aggregate) return e;
  throw e;
}

/** Prints a command's error as CheckErr does; returns the exit code (1). */
export function printCheckErr(inv: Invocation, err: CmdError): number {
  inv.err(checkErrText(err));
  return 1;
}

/**
 * utilerrors.FilterOut: the error without the errors that match, an aggregate kept an aggregate
 * (of what is left, nothing when nothing is). `kubectl delete --ignore-not-found` filters the
 * visit's error this way, so what is left of an aggregate prints as an aggregate.
 */
export function filterOut(err: CmdError | undefined, match: (e: CmdError) => boolean): CmdError | undefined {
  if (err === undefined) return undefined;
  if (err instanceof Aggregate) {
    const kept = err.errors.map((e) => filterOut(e, match)).filter((e): e is CmdError => e !== undefined);
    return kept.length ? new Aggregate(kept) : undefined;
  }
  return match(err) ? undefined : err;
}
