/**
 * A log-scale departure `r` shrunk toward none by its own noise: `max(0, 1 − multiple · noise / r²) · r`, so a
 * departure within about √multiple standard errors of zero is dropped and a clear one kept nearly whole. 0 for 0.
 */
export function shrinkBeyondNoise(departure: number, noise: number, multiple: number): number {
  if (departure === 0) return 0;
  return Math.max(0, 1 - (multiple * noise) / departure ** 2) * departure;
}
