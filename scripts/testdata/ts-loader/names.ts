// scripts/ts-loader.test.ts's fixture: the names JavaScript gives functions and classes in each form
// the sources use, and a stack frame's function name and line, printed as JSON (run under tsx and
// under scripts/ts-loader.mjs: the same text). Not a unit test itself.
import { defined } from "./count-names.mjs";

const arrow = () => 1;
const fnExpr = function () {
  return 2;
};
function declared(): number {
  return 3;
}
class Plain {
  x = 1;
  static s = () => 0;
  method(): number {
    return this.x;
  }
  get value(): number {
    return 4;
  }
  static make(): Plain {
    return new Plain();
  }
}
const Expr = class {};
class Sub extends Plain {}
enum Color {
  Red,
}
const literal = { arrow: () => 5, method(): number {
  return 6;
}, async asyncArrow(): Promise<number> {
  return 7;
}, *gen(): Generator<number> {
  yield 8;
} };
function withDefault(f = () => 9): () => number {
  return f;
}
const { destructured = () => 10 } = {} as { destructured?: () => number };
const list = [() => 11];
let assigned: () => number;
// eslint-disable-next-line prefer-const -- an assignment after the declaration is the form under test
assigned = () => 12;
const holder: { fn?: () => number } = {};
holder.fn = () => 13;
function closureMaker(): () => number {
  const inner = () => 14;
  return inner;
}
function frame(): string {
  return new Error("here").stack!.split("\n")[1].trim();
}
const named = [
  arrow, fnExpr, declared, Plain, Plain.s, Plain.prototype.method, Object.getOwnPropertyDescriptor(Plain.prototype, "value")!.get!, Plain.make, Expr, Sub,
  literal.arrow, literal.method, literal.asyncArrow, literal.gen, withDefault(), destructured, list[0], assigned, holder.fn, closureMaker(),
].map((f) => f.name);
console.log(JSON.stringify({ named, color: Color[0], frame: frame().replace(/\(.*\/scripts\//, "(scripts/"), defined: defined() }));
