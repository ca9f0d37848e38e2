/**
 * Small integer ids of Channel × Source combinations, numbered in the order they are added, so that a pass over many
 * rows can index arrays instead of hashing keys. A combination is found by channel, then source: rows share their
 * strings, which hash once, where a key built by concatenation would be a fresh string to hash on every lookup.
 */
export class CombinationIds {
  private readonly byChannel = new Map<string, Map<string, number>>();
  private count = 0;

  /** How many combinations have an id. */
  get size(): number {
    return this.count;
  }

  /** The id of a combination, or -1 when it has none. */
  get(channel: string, source: string): number {
    return this.byChannel.get(channel)?.get(source) ?? -1;
  }

  /** The id of a combination, given the next one when it has none yet. */
  add(channel: string, source: string): number {
    let bySource = this.byChannel.get(channel);
    if (!bySource) this.byChannel.set(channel, (bySource = new Map()));
    let id = bySource.get(source);
    if (id === undefined) bySource.set(source, (id = this.count++));
    return id;
  }
}
