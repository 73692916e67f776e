// "Did you mean": the closest known spelling of a mistyped command, flag or value.

/** Edit distance with transpositions (optimal string alignment): `--dryrun` -> `--dry-run` is 1. */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** Lower case without separators: `blue-green`, `BlueGreen` and `blue_green` are one spelling. */
export const looseSpelling = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/** Known names closest to `input` (an unambiguous prefix, or within a distance that grows with length). */
export function suggest(input: string, known: readonly string[]): string[] {
  const loose = looseSpelling(input);
  const same = known.filter((k) => looseSpelling(k) === loose);
  if (same.length) return same;
  const prefixed = known.filter((k) => input.length >= 2 && k.startsWith(input));
  if (prefixed.length === 1) return prefixed;
  const limit = Math.max(1, Math.min(3, Math.floor(input.length / 3)));
  const scored = known.map((k) => ({ k, d: distance(input, k) })).filter((s) => s.d <= limit);
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.k);
}

/** ` (did you mean x?)`, or nothing. */
export function didYouMean(input: string, known: readonly string[], format = (s: string) => s): string {
  const hits = suggest(input, known);
  return hits.length ? `did you mean ${hits.map(format).join(' or ')}?` : '';
}

/** The canonical spelling of a choice: exact, or the same up to case and separators (`blue-green` -> `blueGreen`). */
export function canonicalChoice(value: string, choices: readonly string[]): string | undefined {
  if (choices.includes(value)) return value;
  const loose = looseSpelling(value);
  const hits = choices.filter((c) => looseSpelling(c) === loose);
  return hits.length === 1 ? hits[0] : undefined;
}
