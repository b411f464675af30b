/**
 * Pure functions of (seed, index): generated artifacts and generated data are reproducible
 * without being stored, and tests can recompute the expected bytes at any offset.
 */

/** A well-mixed 32-bit hash of two integers (murmur3 finaliser). */
export function hash32(a: number, b: number): number {
  let h = Math.imul((a | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ (b | 0);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform number in [0, 1) from (seed, index). */
export function unitFloat(seed: number, index: number): number {
  return hash32(hash32(seed, Math.floor(index / 4294967296)), index % 4294967296) / 4294967296;
}

function wordAt(seed: number, wordIndex: number): number {
  const hi = Math.floor(wordIndex / 4294967296);
  return hash32(hi === 0 ? seed : hash32(seed, hi), wordIndex % 4294967296);
}

/** The bytes [offset, offset+length) of the generated file with this seed. */
export function generatedBytes(seed: number, offset: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let i = 0;
  let pos = offset;
  while (i < length) {
    const w = Math.floor(pos / 4);
    const word = wordAt(seed, w);
    for (let b = pos % 4; b < 4 && i < length; b++, i++, pos++) {
      out[i] = (word >>> (8 * b)) & 0xff;
    }
  }
  return out;
}

/** A 32-hex-digit id like MLflow's uuid4().hex, reproducible from (seed, index). */
export function hexId(seed: number, index: number): string {
  let s = '';
  for (let k = 0; k < 4; k++) s += hash32(hash32(seed, index), k).toString(16).padStart(8, '0');
  return s;
}
