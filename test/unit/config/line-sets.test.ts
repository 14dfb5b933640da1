import { describe, expect, it } from 'vitest';
import { dedupeLines, linesFor } from '../../../src/config';

describe('dedupeLines', () => {
  it('stores each distinct set once and maps every device to it', () => {
    const ntp = ['ntp server 10.0.0.1'];
    const perDevice: Record<string, string[]> = {};
    for (let i = 0; i < 500; i++) perDevice[`r${i}`] = i === 7 ? ['ntp server 10.0.0.9'] : [...ntp];
    const sets = dedupeLines(perDevice);
    expect(sets.lineSets).toEqual([ntp, ['ntp server 10.0.0.9']]);
    expect(linesFor(sets, 'r0')).toEqual(ntp);
    expect(linesFor(sets, 'r7')).toEqual(['ntp server 10.0.0.9']);
    expect(JSON.stringify(sets).length).toBeLessThan(JSON.stringify(perDevice).length / 3);
  });

  it('does not merge sets that only differ in where lines split', () => {
    const sets = dedupeLines({ a: ['x y', 'z'], b: ['x', 'y z'] });
    expect(sets.lineSets).toHaveLength(2);
  });

  it('a device outside the push is an error, not an empty push', () => {
    expect(() => linesFor(dedupeLines({ a: ['x'] }), 'b')).toThrow('no configuration lines for b in this push');
  });
});
