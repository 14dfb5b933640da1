/**
 * Per-device configuration lines, stored once per distinct set: a push of one
 * snippet to 2,000 devices carries one copy, not 2,000, in the workflow input.
 */
export interface LineSets {
  /** Each distinct set of lines once. */
  lineSets: string[][];
  /** Device name -> index into `lineSets`. */
  lineSetOf: Record<string, number>;
}

export function dedupeLines(perDevice: Record<string, readonly string[]>): LineSets {
  const lineSets: string[][] = [];
  const lineSetOf: Record<string, number> = {};
  const indexByKey = new Map<string, number>();
  for (const [device, lines] of Object.entries(perDevice)) {
    // JSON of the array is an unambiguous key: no separator can collide with line content.
    const key = JSON.stringify(lines);
    let index = indexByKey.get(key);
    if (index === undefined) {
      index = lineSets.length;
      lineSets.push([...lines]);
      indexByKey.set(key, index);
    }
    lineSetOf[device] = index;
  }
  return { lineSets, lineSetOf };
}

/** The lines one device gets; throws when the device has none (a malformed job). */
export function linesFor(sets: LineSets, device: string): string[] {
  const index = sets.lineSetOf[device];
  const lines = index === undefined ? undefined : sets.lineSets[index];
  if (!lines) throw new Error(`no configuration lines for ${device} in this push`);
  return lines;
}
