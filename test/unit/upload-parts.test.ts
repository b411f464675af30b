// How a file is cut into parts: the part size asked for, at least S3's 5 MiB, grown only when the
// file would need more than S3's 10,000 parts (aws-cli does the same).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, partSizeFor } from '../../src/core/upload';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('part size for a file', () => {
  it('keeps the part size asked for, and the default of 8 MiB', () => {
    assert.equal(partSizeFor(GiB, 16 * MiB), 16 * MiB);
    assert.equal(partSizeFor(GiB), DEFAULT_PART_SIZE);
    assert.equal(partSizeFor(0), DEFAULT_PART_SIZE);
  });

  it('never goes below S3 minimum of 5 MiB', () => {
    assert.equal(partSizeFor(GiB, MiB), MIN_PART_SIZE);
  });

  it('grows in whole MiB once a file needs more than 10,000 parts, and then fits', () => {
    const limit = MAX_PARTS * DEFAULT_PART_SIZE; // 78.125 GiB
    assert.equal(partSizeFor(limit), DEFAULT_PART_SIZE, 'exactly 10,000 parts is allowed');
    const grown = partSizeFor(limit + 1);
    assert.equal(grown, 9 * MiB);
    assert.ok(Math.ceil((limit + 1) / grown) <= MAX_PARTS);
    const huge = 5 * 1024 * GiB; // S3's largest object
    const big = partSizeFor(huge);
    assert.equal(big % MiB, 0);
    assert.ok(Math.ceil(huge / big) <= MAX_PARTS);
    assert.ok(Math.ceil(huge / (big - MiB)) > MAX_PARTS, 'the smallest whole-MiB size that fits');
  });
});
