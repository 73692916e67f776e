// A unified diff of two texts (for --dry-run of add/remove): line-based, three lines of context,
// built on node-diff3's LCS, which the three-way merge already uses.

import { diffComm } from 'node-diff3';

type Tagged = { tag: ' ' | '-' | '+'; text: string; a: number; b: number };

const splitLines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

export function unifiedDiff(file: string, before: string | undefined, after: string | undefined, context = 3): string {
  if ((before ?? '') === (after ?? '')) return '';
  const lines: Tagged[] = [];
  let a = 0;
  let b = 0;
  for (const chunk of diffComm(splitLines(before ?? ''), splitLines(after ?? '')) as any[]) {
    if (chunk.common) for (const text of chunk.common) lines.push({ tag: ' ', text, a: a++, b: b++ });
    else {
      for (const text of chunk.buffer1) lines.push({ tag: '-', text, a: a++, b });
      for (const text of chunk.buffer2) lines.push({ tag: '+', text, a, b: b++ });
    }
  }
  const out = [`--- ${before === undefined ? '/dev/null' : `a/${file}`}`, `+++ ${after === undefined ? '/dev/null' : `b/${file}`}`];
  const changed = lines.map((l, i) => (l.tag === ' ' ? -1 : i)).filter((i) => i >= 0);
  let i = 0;
  while (i < changed.length) {
    // Grow a hunk while the next change is within two contexts of the last one.
    let j = i;
    while (j + 1 < changed.length && changed[j + 1] - changed[j] <= 2 * context) j++;
    const from = Math.max(0, changed[i] - context);
    const to = Math.min(lines.length - 1, changed[j] + context);
    const hunk = lines.slice(from, to + 1);
    const oldCount = hunk.filter((l) => l.tag !== '+').length;
    const newCount = hunk.filter((l) => l.tag !== '-').length;
    const oldStart = oldCount ? hunk.find((l) => l.tag !== '+')!.a + 1 : hunk[0].a;
    const newStart = newCount ? hunk.find((l) => l.tag !== '-')!.b + 1 : hunk[0].b;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const l of hunk) out.push(`${l.tag}${l.text}`);
    i = j + 1;
  }
  return out.join('\n');
}
