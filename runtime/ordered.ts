/**
 * Deterministic iteration over Map, Set and plain-object entries, for durable
 * code that makes journaled calls while iterating.
 */

type KeyKind = "number" | "string" | "boolean";

function kindOf(key: unknown): KeyKind | undefined {
  switch (typeof key) {
    case "number":
      return Number.isNaN(key) ? undefined : "number";
    case "bigint":
      return "number";
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    default:
      return undefined;
  }
}

function describe(key: unknown): string {
  if (key === null || key === undefined) return String(key);
  if (typeof key === "number" && Number.isNaN(key)) return "NaN";
  if (typeof key === "object") return key.constructor?.name ? `an object (${key.constructor.name})` : "an object";
  return `a ${typeof key}`;
}

/** Numbers and bigints numerically (a number before an equal bigint), strings by UTF-16 code unit, false < true. */
function compareDefault(a: unknown, b: unknown): number {
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  const x = a as number | bigint;
  const y = b as number | bigint;
  if (x < y) return -1;
  if (x > y) return 1;
  if (typeof x === typeof y) return 0;
  return typeof x === "number" ? -1 : 1;
}

/** Throws a TypeError unless every key is of one orderable kind. */
function checkOrderable(keys: Iterable<unknown>, what: string): void {
  let first: { kind: KeyKind; key: unknown } | undefined;
  for (const key of keys) {
    const kind = kindOf(key);
    if (kind === undefined) {
      throw new TypeError(
        `ordered(): cannot order ${what} by default: found ${describe(key)}. ` +
          "Only numbers, bigints, strings and booleans have a default order; pass a comparator as the second argument.",
      );
    }
    if (first === undefined) first = { kind, key };
    else if (first.kind !== kind) {
      throw new TypeError(
        `ordered(): cannot order ${what} by default: they mix ${describe(first.key)} and ${describe(key)}. ` +
          "Pass a comparator as the second argument.",
      );
    }
  }
}

/**
 * The entries of a Map as a new array of `[key, value]` pairs, sorted by key.
 *
 * Default order: numbers and bigints numerically, strings by UTF-16 code unit
 * (not `localeCompare`, which depends on the machine's locale), `false` before
 * `true`. Other keys (objects, symbols, NaN) and keys of mixed kinds throw a
 * TypeError: pass `compare` for them. The map is not modified.
 *
 * @example
 * for (const [sku, qty] of ordered(cart)) await ctx.objectClient(stock, sku).reserve(qty);
 */
export function ordered<K, V>(map: ReadonlyMap<K, V>, compare?: (a: K, b: K) => number): Array<[K, V]>;
/**
 * The elements of a Set as a new sorted array (same default order as for Map
 * keys; pass `compare` for anything else). The set is not modified.
 */
export function ordered<T>(set: ReadonlySet<T>, compare?: (a: T, b: T) => number): T[];
/**
 * The own enumerable string-keyed entries of a plain object as a new array of
 * `[key, value]` pairs, sorted by key as strings by UTF-16 code unit (so `"10"`
 * comes before `"9"`; pass `compare` for numeric order). The object is not
 * modified.
 */
export function ordered<V>(
  record: Readonly<Record<string, V>>,
  compare?: (a: string, b: string) => number,
): Array<[string, V]>;
export function ordered(
  input: ReadonlyMap<unknown, unknown> | ReadonlySet<unknown> | Readonly<Record<string, unknown>>,
  comparator?: (a: never, b: never) => number,
): unknown[] {
  const compare = comparator as ((a: unknown, b: unknown) => number) | undefined;
  if (compare !== undefined && typeof compare !== "function") {
    throw new TypeError("ordered(): the comparator must be a function");
  }
  if (input instanceof Set) {
    const elements = [...(input as ReadonlySet<unknown>)];
    if (!compare) checkOrderable(elements, "the elements of this Set");
    return elements.sort(compare ?? compareDefault);
  }
  let entries: Array<[unknown, unknown]>;
  let what: string;
  if (input instanceof Map) {
    entries = [...(input as ReadonlyMap<unknown, unknown>)];
    what = "the keys of this Map";
  } else if (typeof input === "object" && input !== null) {
    entries = Object.entries(input);
    what = "the keys of this object";
  } else {
    throw new TypeError(`ordered(): expected a Map, a Set or a plain object, got ${input === null ? "null" : typeof input}`);
  }
  if (!compare) checkOrderable(entries.map(([key]) => key), what);
  const byKey = compare ?? compareDefault;
  return entries.sort((a, b) => byKey(a[0], b[0]));
}
