/**
 * The one seeded pseudo-random generator of funnelcast (mulberry32) and a seed mixer: the demo and every test that
 * draws data use it. Pure: the seed is an argument, so core may hold it. Every random stream of the demo is derived
 * from the caller's seed plus coordinates (combination, day, draw), so any slice of days can be regenerated on its
 * own and reproduces exactly what a full generation would have produced.
 */

/**
 * A stream of uniform numbers in `[0, 1)`: each call returns the next. A plain function, so it can be the `prng` of
 * an `@stdlib/random-base-*` factory.
 */
export type Rng = () => number;

// murmur3's finaliser: a bijective 32-bit avalanche, so nearby coordinates give unrelated seeds.
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit seed derived from a base seed and any number of integer coordinates. */
export function mixSeed(seed: number, ...coordinates: readonly number[]): number {
  let h = fmix32(seed ^ 0x9e3779b9);
  for (const c of coordinates) h = fmix32(Math.imul(h ^ (c | 0), 0x27d4eb2f) + 0x165667b1);
  return h;
}

/** A mulberry32 generator seeded with a 32-bit integer (period 2³², plenty for one stream). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
