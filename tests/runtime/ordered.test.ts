/** ordered(): the default key order, comparators, the TypeError for unorderable keys, and no mutation. */
import { describe, expect, it } from "vitest";
import { ordered } from "../../runtime/index.js";

describe("ordered", () => {
  it("orders Map entries with number keys numerically, not as strings", () => {
    const map = new Map([[10, "ten"], [9, "nine"], [-1.5, "neg"], [100, "hundred"], [0, "zero"]]);
    expect(ordered(map)).toEqual([[-1.5, "neg"], [0, "zero"], [9, "nine"], [10, "ten"], [100, "hundred"]]);
  });

  it("orders bigint keys numerically, and numbers with bigints together (a number before an equal bigint)", () => {
    expect(ordered(new Map([[10n, "a"], [2n, "b"], [-3n, "c"]]))).toEqual([[-3n, "c"], [2n, "b"], [10n, "a"]]);
    const mixed = new Map<number | bigint, string>([[3n, "3n"], [2, "2"], [3, "3"], [1n, "1n"]]);
    expect(ordered(mixed).map(([k]) => k)).toEqual([1n, 2, 3, 3n]);
  });

  it("orders string keys by UTF-16 code unit, not by locale (uppercase before lowercase, accents after z)", () => {
    const map = new Map([["b", 1], ["a", 2], ["B", 3], ["é", 4], ["z", 5], ["", 6], ["aa", 7], ["😀", 8], ["\uffff", 9]]);
    // "😀" is the surrogate pair \ud83d\ude00, which sorts before \uffff by code unit (a code-point order would not).
    expect(ordered(map).map(([k]) => k)).toEqual(["", "B", "a", "aa", "b", "z", "é", "😀", "\uffff"]);
    expect(["é", "z"].sort((x, y) => x.localeCompare(y))).toEqual(["é", "z"]); // what ordered() does NOT do
  });

  it("orders boolean keys false before true", () => {
    expect(ordered(new Map([[true, "yes"], [false, "no"]]))).toEqual([[false, "no"], [true, "yes"]]);
  });

  it("orders Set elements with the same default order", () => {
    expect(ordered(new Set([3, 1, 2]))).toEqual([1, 2, 3]);
    expect(ordered(new Set(["b", "a", "C"]))).toEqual(["C", "a", "b"]);
    expect(ordered(new Set([true, false]))).toEqual([false, true]);
  });

  it("orders plain-object entries by key as strings ('10' before '9')", () => {
    const record: Record<string, number> = { b: 1, 10: 2, a: 3, 9: 4 };
    // Object.entries would give ["9", "10", "b", "a"] (integer-like keys first, then insertion order).
    expect(ordered(record)).toEqual([["10", 2], ["9", 4], ["a", 3], ["b", 1]]);
    expect(ordered({})).toEqual([]);
  });

  it("returns an empty array for empty collections", () => {
    expect(ordered(new Map())).toEqual([]);
    expect(ordered(new Set())).toEqual([]);
  });

  it("uses the comparator when given, for keys of any kind", () => {
    const a = { id: 2 };
    const b = { id: 1 };
    const byId = (x: { id: number }, y: { id: number }) => x.id - y.id;
    expect(ordered(new Map([[a, "a"], [b, "b"]]), byId)).toEqual([[b, "b"], [a, "a"]]);
    expect(ordered(new Set([a, b]), byId)).toEqual([b, a]);
    expect(ordered({ 10: "x", 9: "y" }, (x, y) => Number(x) - Number(y))).toEqual([["9", "y"], ["10", "x"]]);
    expect(ordered(new Map([[1, "one"], [2, "two"]]), (x, y) => y - x)).toEqual([[2, "two"], [1, "one"]]);
  });

  it("throws a TypeError asking for a comparator when keys cannot be ordered by default", () => {
    expect(() => ordered(new Map([[{}, 1]]))).toThrow(TypeError);
    expect(() => ordered(new Map([[{}, 1]]))).toThrow(/pass a comparator/);
    expect(() => ordered(new Map([[Symbol("s"), 1]]))).toThrow(/found a symbol/);
    expect(() => ordered(new Set([null]))).toThrow(/found null/);
    expect(() => ordered(new Set([undefined]))).toThrow(/found undefined/);
    expect(() => ordered(new Set([NaN, 1]))).toThrow(/found NaN/);
    expect(() => ordered(new Set([new Date(0)]))).toThrow(/an object \(Date\)/);
    // Mixed kinds: no meaningful default order.
    expect(() => ordered(new Map<unknown, number>([[1, 1], ["1", 2]]))).toThrow(/mix a number and a string/);
    expect(() => ordered(new Set<unknown>([true, 0]))).toThrow(TypeError);
    // Not a collection at all.
    expect(() => ordered(null as unknown as Record<string, number>)).toThrow(TypeError);
    expect(() => ordered(new Map([[1, 1]]), "desc" as unknown as () => number)).toThrow(/comparator must be a function/);
  });

  it("does not mutate the input and returns a new array each time", () => {
    const map = new Map([[2, "b"], [1, "a"]]);
    const set = new Set([2, 1]);
    const record = { b: 1, a: 2 };
    const first = ordered(map);
    first.push([3, "c"]);
    expect([...map]).toEqual([[2, "b"], [1, "a"]]);
    expect(ordered(map)).toEqual([[1, "a"], [2, "b"]]);
    expect(ordered(set)).toEqual([1, 2]);
    expect([...set]).toEqual([2, 1]);
    expect(ordered(record)).toEqual([["a", 2], ["b", 1]]);
    expect(Object.keys(record)).toEqual(["b", "a"]);
    expect(ordered(set)).not.toBe(ordered(set));
  });

  it("gives the same order whatever the insertion order (the point of it)", () => {
    const keys = ["delta", "alpha", "charlie", "bravo"];
    const forward = new Map(keys.map((k) => [k, k.length]));
    const backward = new Map([...keys].reverse().map((k) => [k, k.length]));
    expect(ordered(forward)).toEqual(ordered(backward));
  });
});
