// Shared set-up of the stat record and stat probe tests (not a test file): repositories of the
// minimal example whose stat record covers their files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSpecText } from '../../generators/model/serialize.ts';
import { run } from '../../generators/pipeline.ts';
import { copiesOf, removeTempDir } from '../helpers.ts';

export const model = (text: string) => ({ spec: parseSpecText(text, 'platform.yaml'), modelText: text });
/** A render of the repository's own platform.yaml, without the pre-write check. */
export const render = (root: string) => run({ root, command: 'render', check: false, model: ({ text }) => model(text!) });
/** Waits one clock tick: files changed in the tick a run starts in are racy and not recorded. */
export const tick = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);

/**
 * `repo()`: a fresh copy of the minimal example with a record that covers its files (a copy is a
 * tree the record knows nothing of, new inodes and ctimes: a render after a tick records them);
 * `cleanup()` removes every copy made (for `test.after`).
 */
export function recordedRepos(prefix: string): { repo: () => string; cleanup: () => void } {
  const freshRepo = copiesOf(prefix, (root) => {
    const text = readFileSync('examples/minimal/platform.yaml', 'utf8');
    run({ root, spec: parseSpecText(text, 'minimal'), previousModelText: text });
  });
  const made: string[] = [];
  return {
    repo() {
      const root = freshRepo();
      made.push(root);
      tick();
      render(root);
      return root;
    },
    cleanup: () => made.forEach((root) => removeTempDir(path.dirname(root))),
  };
}
