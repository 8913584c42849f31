import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFLICT_THRESHOLD,
  isDuplicateTitle,
  levenshtein,
  normalizeTitle,
  pickKept,
  titleSimilarity,
} from '../../../spec/protocol/conflicts.ts';

describe('normalizeTitle', () => {
  it.each([
    ['Create User Model', 'create user model'],
    ['ｃｒｅａｔｅ user model', 'create user model'], // fullwidth letters, NFKC
    ['ﬁle upload', 'file upload'], // ligature, NFKC
    ['①② steps', '12 steps'], // circled digits, NFKC
    ['𝐀dd tests', 'add tests'], // mathematical bold, NFKC
    ['create-user_model!', 'create user model'], // punctuation and underscore become spaces
    ['  fix\t\tthe \n bug  ', 'fix the bug'], // whitespace collapsed and trimmed
    ['Café', 'café'], // letters outside ASCII stay
    ['Cafe\u0301', 'café'], // combining accent composed by NFKC
    ['🚀 deploy', 'deploy'], // emoji are not letters
    ['', ''],
    ['!!!', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeTitle(input)).toBe(expected);
  });
});

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['abc', 'abc', 0],
    ['𠜎a', 'ba', 1], // code points, not UTF-16 units
  ])('%j vs %j = %i', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});

describe('titleSimilarity and the 0.85 threshold', () => {
  it.each([
    ['Create user model', 'Create User model', 1, true],
    ['ｃｒｅａｔｅ user model', 'create user model', 1, true],
    ['create-user_model!', 'Create user model', 1, true],
    ['abcdefghijklmnopqrst', 'abcdefghijklmnopqXYZ', 0.85, true], // exactly at the threshold counts
    ['abcdefghijklmnopqrs', 'abcdefghijklmnopXYZ', 1 - 3 / 19, false], // just below
    ['abcdefghijklmnopqrst', 'abcdefghijklmnopWXYZ', 0.8, false],
    ['Fix bug', 'Fix bugs', 0.875, true], // just above
    ['Implement login endpoint', 'Implement logout endpoint', 0.88, true],
    ['Add user authentication', 'Add user authorization', 1 - 4 / 23, false],
    ['Add login page', 'Add logout page', 0.8, false],
    ['Straße', 'STRASSE', 1 - 2 / 7, false], // NFKC keeps ß; no case folding beyond toLowerCase
    ['', '', 1, true],
    ['   ', '!!!', 1, true], // both normalise to empty
    ['', 'abc', 0, false],
  ])('%j vs %j ≈ %d (duplicate: %s)', (a, b, sim, dup) => {
    expect(titleSimilarity(a, b)).toBeCloseTo(sim, 12);
    expect(isDuplicateTitle(a, b)).toBe(dup);
    expect(isDuplicateTitle(a, b, DEFAULT_CONFLICT_THRESHOLD)).toBe(dup);
  });

  it('honours another threshold', () => {
    expect(isDuplicateTitle('Add login page', 'Add logout page', 0.8)).toBe(true);
    expect(isDuplicateTitle('Fix bug', 'Fix bugs', 0.9)).toBe(false);
  });

  it('is symmetric', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => titleSimilarity(a, b) === titleSimilarity(b, a)));
  });

  it('stays within 0..1', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const s = titleSimilarity(a, b);
        return s >= 0 && s <= 1;
      }),
    );
  });

  it('gives 1 for a title and itself, whatever its case and punctuation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (a) => {
        expect(titleSimilarity(a, a)).toBe(1);
        expect(titleSimilarity(a, `  ${a.toUpperCase()}!`)).toBe(titleSimilarity(a, a.toUpperCase()));
      }),
    );
  });

  it('never exceeds the longer length as a distance (triangle with the empty string)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const d = levenshtein(a, b);
        return d <= Math.max(Array.from(a).length, Array.from(b).length) && d <= levenshtein(a, '') + levenshtein('', b);
      }),
    );
  });
});

describe('pickKept', () => {
  it('keeps the longer trimmed description, the earlier on a tie', () => {
    expect(pickKept({ description: 'short' }, { description: 'much longer text' })).toBe('later');
    expect(pickKept({ description: 'much longer text' }, { description: 'short' })).toBe('earlier');
    expect(pickKept({ description: 'same' }, { description: 'same' })).toBe('earlier');
    expect(pickKept({ description: 'abc' }, { description: '   abc     ' })).toBe('earlier'); // whitespace is not detail
  });
});
