/**
 * Checks of a service account token a command printed (`kubectl create token`, the file a pod's
 * projected volume holds): that the output is one JSON Web Token (three base64url parts, a JSON
 * header with `alg`, JSON claims), that its claims include what a page states (a subset: objects
 * compared key by key, other values exactly), and its lifetime (`exp - iat`, with `nbf` = `iat`).
 * The signature is not checked here: the simulation's unit tests verify it with the cluster's key.
 */
import { decodeToken } from "../api/serviceaccount/jwt.ts";

/** The claims of the one token `output` holds (surrounding whitespace aside), or why it is not one. */
export function tokenClaims(output: string): { claims: Record<string, unknown> } | { problem: string } {
  const text = output.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text)) return { problem: `the output is not a JSON Web Token (three base64url parts joined by dots):\n${output}` };
  const d = decodeToken(text);
  if (!d || typeof d.header.alg !== "string" || typeof d.claims !== "object" || d.claims === null) return { problem: `the output's parts are not a JWT's JSON header and claims:\n${output}` };
  return { claims: d.claims };
}

/** Where `actual` differs from the subset `expected` (a path and both values), or undefined. */
function subsetProblem(actual: unknown, expected: unknown, path: string): string | undefined {
  if (expected && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === undefined) return `${path} is missing`;
    if (!actual || typeof actual !== "object" || Array.isArray(actual)) return `${path || "the claims"} is ${JSON.stringify(actual)}, not an object`;
    for (const [k, v] of Object.entries(expected)) {
      const p = subsetProblem((actual as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k);
      if (p) return p;
    }
    return undefined;
  }
  return JSON.stringify(actual) === JSON.stringify(expected) ? undefined : `${path} is ${JSON.stringify(actual) ?? "missing"}, not ${JSON.stringify(expected)}`;
}

/** The output is a JWT whose claims include `expectedJSON` (a JSON object). */
export function checkTokenClaims(output: string, expectedJSON: string): string | undefined {
  let expected: unknown;
  try {
    expected = JSON.parse(expectedJSON);
  } catch (e) {
    throw new Error(`the expected claims are not JSON: ${(e as Error).message}`);
  }
  if (!expected || typeof expected !== "object" || Array.isArray(expected)) throw new Error("the expected claims must be a JSON object");
  const t = tokenClaims(output);
  if ("problem" in t) return t.problem;
  const p = subsetProblem(t.claims, expected, "");
  return p ? `${p}; the token's claims are:\n${JSON.stringify(t.claims, null, 2)}` : undefined;
}

/** The output is a JWT valid for `ms` from when it was issued (exp - iat), not before it was issued (nbf = iat). */
export function checkTokenLifetime(output: string, ms: number): string | undefined {
  const t = tokenClaims(output);
  if ("problem" in t) return t.problem;
  const { iat, exp, nbf } = t.claims as { iat?: unknown; exp?: unknown; nbf?: unknown };
  if (typeof iat !== "number" || typeof exp !== "number") return `the token has no numeric iat and exp claims: ${JSON.stringify(t.claims)}`;
  if (nbf !== undefined && nbf !== iat) return `the token's nbf (${String(nbf)}) is not its iat (${iat})`;
  if ((exp - iat) * 1000 !== ms) return `the token is valid for ${exp - iat}s (exp ${exp} - iat ${iat}), not ${ms / 1000}s`;
  return undefined;
}
