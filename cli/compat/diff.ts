/**
 * What changed between two Restate surfaces (cli/compat/surface.ts) that breaks what is already running: state that
 * outlives deployments, and invocations already in flight or scheduled (delayed sends, calls, promise resolutions)
 * that name a component, a handler or a promise. Each finding says what it breaks and how to migrate; its `id` is
 * stable, for `--accept <id>`.
 */
import { journalBreak } from "./journal.js";
import type { ComponentSurface, HandlerSurface, PayloadShape, Place, Surface } from "./surface.js";

export type CompatKind =
  | "component-removed"
  | "component-renamed"
  | "component-kind-changed"
  | "handler-removed"
  | "handler-renamed"
  | "handler-kind-changed"
  | "handler-input-changed"
  | "handler-output-changed"
  | "journal-changed"
  | "state-key-dropped"
  | "state-value-changed"
  | "promise-removed";

export interface CompatFinding {
  /** `<kind>:<component>[/<handler, key or promise>]`: stable across runs, for `--accept`. */
  readonly id: string;
  readonly kind: CompatKind;
  /** What changed, what it breaks, and how to migrate: one or two sentences each. */
  readonly message: string;
  readonly migration: string;
  /** Where it was in the base revision, and where it is now: the thing itself, or the component it was part of (null when the component is gone). */
  readonly base: Place;
  readonly head: Place | null;
  /** Acknowledged with `--accept`: shown, but does not fail the run. */
  accepted: boolean;
}

const HANDLER_KIND: Record<string, string> = {
  service: "a service handler",
  "object-exclusive": "exclusive",
  "object-shared": "shared",
  "workflow-run": "the workflow's run handler",
  "workflow-shared": "shared",
  unknown: "of an unknown kind",
};

export function compareSurfaces(base: Surface, head: Surface): CompatFinding[] {
  const findings: CompatFinding[] = [];
  const add = (finding: Omit<CompatFinding, "accepted">) => findings.push({ ...finding, accepted: false });
  const renamedTo = componentRenames(base, head);

  for (const [name, before] of base) {
    const after = head.get(name);
    if (!after) {
      const renamed = renamedTo.get(name);
      if (renamed) {
        add({
          id: `component-renamed:${name}`,
          kind: "component-renamed",
          message: `${before.kind} \`${name}\` is now registered as \`${renamed.name}\`: invocations in flight or scheduled for \`${name}\` fail${statePhrase(before)}.`,
          migration: `Keep \`${name}\` registered (it can delegate to \`${renamed.name}\`) until nothing targets it${before.state.size > 0 ? ", and move its state" : ""}; or keep the old name.`,
          base: before.place,
          head: renamed.place,
        });
      } else {
        add({
          id: `component-removed:${name}`,
          kind: "component-removed",
          message: `${before.kind} \`${name}\` is no longer registered: invocations in flight or scheduled for it fail${statePhrase(before)}.`,
          migration: `Keep \`${name}\` in this deployment until nothing targets it, then remove it (Restate keeps older deployments for invocations pinned to them).`,
          base: before.place,
          head: null,
        });
      }
      continue;
    }
    if (before.kind !== after.kind) {
      add({
        id: `component-kind-changed:${name}`,
        kind: "component-kind-changed",
        message: `\`${name}\` changed from ${before.kind} to ${after.kind}: the invocations, keys and state made for the ${before.kind} no longer fit.`,
        migration: `Register the ${after.kind} under a new name and keep \`${name}\` as it was until nothing targets it.`,
        base: before.place,
        head: after.place,
      });
      continue;
    }
    compareHandlers(before, after, add);
    compareState(before, after, add);
    comparePromises(before, after, add);
  }
  return findings.sort((a, b) => a.id.localeCompare(b.id));
}

/** What the new version adds (breaks nothing), for the report: `component \`x\``, `handler \`c/h\``. */
export function additions(base: Surface, head: Surface): string[] {
  const renamed = new Set([...componentRenames(base, head).values()].map((c) => c.name));
  const result: string[] = [];
  for (const [name, after] of head) {
    const before = base.get(name);
    if (!before) {
      if (!renamed.has(name)) result.push(`${after.kind} \`${name}\``);
      continue;
    }
    const renamedHandlers = new Set<string>();
    for (const [handler, old] of before.handlers) {
      if (!after.handlers.has(handler)) {
        const match = sameBody(old, [...after.handlers.values()].filter((h) => !before.handlers.has(h.name)));
        if (match) renamedHandlers.add(match.name);
      }
    }
    for (const handler of after.handlers.keys()) if (!before.handlers.has(handler) && !renamedHandlers.has(handler)) result.push(`handler \`${name}/${handler}\``);
  }
  return result.sort();
}

function statePhrase(component: ComponentSurface): string {
  return component.kind === "object" || component.kind === "workflow" ? ", and its state is no longer read" : "";
}

/** Components removed from `base` whose handlers (names and bodies) reappear unchanged under a new name in `head`. */
function componentRenames(base: Surface, head: Surface): Map<string, ComponentSurface> {
  const result = new Map<string, ComponentSurface>();
  const signature = (c: ComponentSurface) =>
    `${c.kind}|${[...c.handlers.values()].map((h) => `${h.name}:${h.kind}:${h.fingerprint}`).sort().join("|")}`;
  const added = [...head.values()].filter((c) => !base.has(c.name));
  for (const [name, before] of base) {
    if (head.has(name)) continue;
    const match = added.filter((c) => signature(c) === signature(before));
    if (match.length === 1) result.set(name, match[0]);
  }
  return result;
}

type Add = (finding: Omit<CompatFinding, "accepted">) => void;

function compareHandlers(before: ComponentSurface, after: ComponentSurface, add: Add): void {
  const added = [...after.handlers.values()].filter((h) => !before.handlers.has(h.name));
  for (const [name, old] of before.handlers) {
    const now = after.handlers.get(name);
    const where = `\`${before.name}/${name}\``;
    if (!now) {
      const renamed = sameBody(old, added);
      add(
        renamed
          ? {
              id: `handler-renamed:${before.name}/${name}`,
              kind: "handler-renamed",
              message: `Handler ${where} is now \`${renamed.name}\`: calls and delayed sends already addressed to \`${name}\` fail.${awakeables(old)}`,
              migration: `Keep \`${name}\` as a handler that calls \`${renamed.name}\` until nothing targets it.`,
              base: old.place,
              head: renamed.place,
            }
          : {
              id: `handler-removed:${before.name}/${name}`,
              kind: "handler-removed",
              message: `Handler ${where} was removed: calls and delayed sends already addressed to it fail.${awakeables(old)}`,
              migration: `Keep ${where} until nothing targets it (or let it return at once), then remove it.`,
              base: old.place,
              head: after.place,
            },
      );
      continue;
    }
    const input = old.input && now.input ? inputBreak(old.input, now.input) : null;
    if (input) {
      add({
        id: `handler-input-changed:${before.name}/${name}`,
        kind: "handler-input-changed",
        message: `The input of ${where} changed (${input}): calls and delayed sends already made with the old input fail or misbehave.`,
        migration: `Accept both shapes (new fields optional, old ones still read) until nothing sends the old one, or add a new handler.`,
        base: old.place,
        head: now.place,
      });
    }
    const output = old.output && now.output ? outputBreak(old.output, now.output) : null;
    if (output) {
      add({
        id: `handler-output-changed:${before.name}/${name}`,
        kind: "handler-output-changed",
        message: `The output of ${where} changed (${output}): callers built against the old result (other services, awaiting invocations) get a shape they do not expect.`,
        migration: `Keep the old fields in the result until every caller is deployed with the new shape, or add a new handler.`,
        base: old.place,
        head: now.place,
      });
    }
    const journal = old.journal && now.journal ? journalBreak(old.journal, now.journal) : null;
    if (journal) {
      const was = journal.path[journal.at];
      const is = journal.closest[journal.at];
      add({
        id: `journal-changed:${before.name}/${name}`,
        kind: "journal-changed",
        message: `On a path through ${where}, journal entry ${journal.at + 1} was \`${was}\`, now ${is ? `\`${is}\`` : "nothing"}: invocations in flight that recorded it fail with a journal mismatch when they replay on this code.`,
        migration: `Add new operations after the existing ones on every path, or register the change as a new deployment (in-flight invocations stay on the old one) instead of updating in place.`,
        base: old.place,
        head: now.place,
      });
    }
    if (old.kind !== now.kind && old.kind !== "unknown" && now.kind !== "unknown") {
      add({
        id: `handler-kind-changed:${before.name}/${name}`,
        kind: "handler-kind-changed",
        message: `Handler ${where} changed from ${HANDLER_KIND[old.kind]} to ${HANDLER_KIND[now.kind]}: invocations already queued for a key now run ${now.kind.endsWith("shared") ? "concurrently with the exclusive ones, without state writes" : "one at a time and hold the key"}.`,
        migration: `Add a new handler with the new kind and keep ${where} as it was until nothing targets it.`,
        base: old.place,
        head: now.place,
      });
    }
  }
}

/**
 * Why a payload made for `before` may not satisfy `after`, or null: a field `after` requires that `before` did not
 * always have, or a field (or the whole type) whose type changed. A field dropped, or made optional, is fine.
 */
function inputBreak(before: PayloadShape, after: PayloadShape): string | null {
  if (!before.fields || !after.fields) return before.text === after.text ? null : `\`${before.text}\` is now \`${after.text}\``;
  for (const [field, now] of Object.entries(after.fields)) {
    const was = before.fields[field];
    if (!was) {
      if (!now.optional) return `new required field \`${field}\``;
      continue;
    }
    if (was.type !== now.type && !(now.optional && `${was.type} | undefined` === now.type)) return `field \`${field}\` is now \`${now.type}\`, was \`${was.type}\``;
    if (was.optional && !now.optional) return `field \`${field}\` is now required`;
  }
  return null;
}

/** Why a result of `after` may not satisfy a caller that expects `before`, or null: the same check, the other way round. */
function outputBreak(before: PayloadShape, after: PayloadShape): string | null {
  if (!before.fields || !after.fields) return before.text === after.text ? null : `\`${before.text}\` is now \`${after.text}\``;
  for (const [field, was] of Object.entries(before.fields)) {
    const now = after.fields[field];
    if (!now) {
      if (!was.optional) return `field \`${field}\` is gone`;
      continue;
    }
    if (was.type !== now.type && !(was.optional && `${now.type} | undefined` === was.type)) return `field \`${field}\` is now \`${now.type}\`, was \`${was.type}\``;
    if (!was.optional && now.optional) return `field \`${field}\` may now be missing`;
  }
  return null;
}

/** For a handler that resolved awakeables: who else it strands. */
function awakeables(handler: HandlerSurface): string {
  return handler.resolvesAwakeables ? " It resolved awakeables: invocations still waiting on one it would have resolved wait for ever." : "";
}

function sameBody(old: HandlerSurface, candidates: readonly HandlerSurface[]): HandlerSurface | null {
  const match = candidates.filter((h) => h.fingerprint === old.fingerprint && h.kind === old.kind);
  return match.length === 1 ? match[0] : null;
}

function compareState(before: ComponentSurface, after: ComponentSurface, add: Add): void {
  if (before.kind !== "object" && before.kind !== "workflow") return;
  for (const [key, uses] of before.state) {
    // Only a key the base code read: a key it only wrote was never read back by this component.
    if (uses.reads.length === 0) continue;
    const now = after.state.get(key);
    if (now?.reads.length) {
      // Values stored by the base code, read by the new code: each must still satisfy what the new code writes
      // (and so expects to read back).
      const change = valueChange(uses.values, now.values);
      if (change) {
        add({
          id: `state-value-changed:${before.name}/${key}`,
          kind: "state-value-changed",
          message: `The value \`${before.name}\` stores under "${key}" changed (${change}): what existing ${before.kind === "object" ? "objects" : "workflows"} stored there has the old shape when the new code reads it.`,
          migration: `Read both shapes (convert the old one when found) until every existing key has been rewritten, or store the new shape under a new key.`,
          base: uses.reads[0]!,
          head: now.reads[0]!,
        });
      }
      continue;
    }
    const newKeys = [...after.state.keys()].filter((k) => !before.state.has(k));
    add({
      id: `state-key-dropped:${before.name}/${key}`,
      kind: "state-key-dropped",
      message: `\`${before.name}\` no longer reads state key "${key}"${newKeys.length ? ` (new keys: ${newKeys.map((k) => `"${k}"`).join(", ")})` : ""}: what existing ${before.kind === "object" ? "objects" : "workflows"} stored under it is lost to the new code.`,
      migration: `Keep reading "${key}" as a fallback (and copy it to the new key) until every existing key has been migrated.`,
      base: uses.reads[0]!,
      head: after.place,
    });
  }
}

/** How values written by the base (`before`) may not satisfy the new code's values (`after`), or null. */
function valueChange(before: readonly PayloadShape[], after: readonly PayloadShape[]): string | null {
  if (before.length !== 1 || after.length !== 1) return null; // several shapes written (or none seen): not compared
  return inputBreak(before[0]!, after[0]!);
}

function comparePromises(before: ComponentSurface, after: ComponentSurface, add: Add): void {
  if (before.kind !== "workflow") return;
  for (const [name, places] of before.promises) {
    if (after.promises.has(name)) continue;
    add({
      id: `promise-removed:${before.name}/${name}`,
      kind: "promise-removed",
      message: `Workflow \`${before.name}\` no longer uses durable promise "${name}": running workflows waiting on it, or resolvers that name it, never meet.`,
      migration: `Keep handling "${name}" for workflows started before this deployment (resolve the new promise from it), or finish them first.`,
      base: places[0]!,
      head: after.place,
    });
  }
}
