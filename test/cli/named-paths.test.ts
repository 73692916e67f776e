// What `validate` and `lint` do with the paths a user names: a file that is not a manifest is
// refused (exit 2, nothing checked) instead of passing as "0 resources"; the tool's own state
// (.gitops-scaffold/: manifest.json, lint.yaml, caches in JSON lines) is never read as manifests,
// even when its folder is named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cli, minimalRepo } from '../safety/helpers.ts';
import { removeTempDir } from '../helpers.ts';

for (const command of ['validate', 'lint']) {
  test(`${command} README.md: not a manifest file, exit 2 naming the file and the fix`, async () => {
    const root = minimalRepo();
    try {
      const r = await cli([command, path.join(root, 'README.md'), ...(command === 'validate' ? ['--kubeconform', 'never'] : [])]);
      assert.is(r.exitCode, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /README\.md is not a manifest file; nothing was checked/);
      assert.match(r.stderr, /\*\.yaml, \*\.yml and \*\.json/);
      assert.not.match(r.stdout, /0 resources/);
    } finally {
      removeTempDir(root);
    }
  });

  test(`${command} .gitops-scaffold: the tool's state is not read as manifests (no missing-kind or parse errors from its files)`, async () => {
    const root = minimalRepo();
    try {
      // A run that checks leaves the cache; the copy made without the check may not have one.
      assert.is((await cli(['render', '--repo', root])).exitCode, 0);
      assert.ok(existsSync(path.join(root, '.gitops-scaffold/cache/model.json')), 'the render left its cache');
      const r = await cli([command, path.join(root, '.gitops-scaffold'), '--output', 'json', ...(command === 'validate' ? ['--kubeconform', 'never'] : [])]);
      const report = JSON.parse(r.stdout);
      assert.equal(report.findings, [], r.stdout);
      assert.is(report.summary.files, 0);
      assert.is(r.exitCode, 0, r.stdout);
    } finally {
      removeTempDir(root);
    }
  });
}

test.run();
