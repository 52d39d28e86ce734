/** What each side has under one key. */
export interface KeyedGroup<O, T> {
  ours: O[];
  theirs: T[];
}

/**
 * Items of both sides grouped under one key each, in one pass per side; the keys come out in
 * their lines' order, then ours that they do not report. Groups rather than single items because
 * nothing stops a side from reporting a key twice, and that must show as a break, not vanish.
 */
export function groupBothSides<O, T>(
  ours: readonly O[],
  theirs: readonly T[],
  ourKey: (item: O) => string,
  theirKey: (item: T) => string,
): Map<string, KeyedGroup<O, T>> {
  const groups = new Map<string, KeyedGroup<O, T>>();
  for (const item of theirs) {
    const key = theirKey(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { ours: [], theirs: [item] });
    else group.theirs.push(item);
  }
  for (const item of ours) {
    const key = ourKey(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { ours: [item], theirs: [] });
    else group.ours.push(item);
  }
  return groups;
}
