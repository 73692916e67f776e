// The generated repository's pull-request diff workflow: least privilege, actions pinned by
// commit SHA, tools by version and SHA-256, no GitHub expression inside a shell script (script
// injection), and the comment found again by the first line of the Markdown report.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { MARKDOWN_MARKER } from '../../generators/diff/report.ts';
import { repoCiPins } from '../../generators/model/versions.ts';
import { ROOT } from '../helpers.ts';

for (const example of ['enterprise', 'minimal']) {
  const file = path.join(ROOT, 'examples', example, '.github/workflows/diff.yaml');
  const wf = YAML.parse(readFileSync(file, 'utf8'));
  const job = wf.jobs.diff;

  test(`${example}: the diff workflow runs on pull requests only, with the least it needs`, () => {
    assert.equal(Object.keys(wf.on), ['pull_request']);
    assert.equal(wf.permissions, {});
    assert.equal(job.permissions, { contents: 'read', 'pull-requests': 'write' });
    const checkout = job.steps.find((s: any) => String(s.uses).startsWith('actions/checkout@'));
    assert.equal(checkout.with, { 'fetch-depth': 0, 'persist-credentials': false });
  });

  test(`${example}: every action pinned by SHA, helm by the checksum Argo CD v3.5.1 ships, no expression in a script`, () => {
    for (const s of job.steps) {
      if (s.uses) assert.match(s.uses, /^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      if (s.run) assert.not.match(s.run, /\$\{\{/, `step "${s.name}" inlines a GitHub expression`);
    }
    assert.is(job.env.HELM_VERSION, repoCiPins.helm.version);
    assert.match(job.env.HELM_SHA256, /^[0-9a-f]{64}$/);
    const install = job.steps.find((s: any) => /Install kustomize and helm/.test(s.name)).run;
    assert.match(install, /sha256sum -c -/);
    const diff = job.steps.find((s: any) => s.id === 'diff');
    assert.match(diff.run, /gitops-scaffold diff --base "origin\/\$\{BASE_REF\}" --output markdown/);
    assert.is(diff.env.BASE_REF, '${{ github.base_ref }}');
    const post = job.steps.find((s: any) => /comment/.test(s.name));
    assert.is(post.if, 'github.event.pull_request.head.repo.full_name == github.repository');
    assert.match(post.run, /marker="\$\(head -n 1 /);
    assert.match(post.run, /--method PATCH .*--method POST/s);
  });
}

test('the marker the workflow reads is the first line of every Markdown report', () => {
  assert.is(MARKDOWN_MARKER, '<!-- gitops-scaffold diff -->');
  assert.not.match(MARKDOWN_MARKER, /["\\]/); // it sits inside a jq string in the workflow
});

test.run();
