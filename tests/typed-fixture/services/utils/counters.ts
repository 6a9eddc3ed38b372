// Plain helpers that keep module-level state, as a services folder's utils/ holds them: no Restate import.
let invocations = 0;
const seen = new Set<string>();
let client: { query(sql: string): Promise<unknown> } | undefined;

export function countInvocation(): number {
  invocations++;
  return invocations;
}

export const markSeen = (id: string) => {
  seen.add(id);
};

export function hasSeen(id: string): boolean {
  return seen.has(id);
}

/** Created once per process, only while still unset: a lazy initialisation, not state that changes. */
export function db() {
  client ??= { query: async (sql: string) => sql };
  return client;
}
