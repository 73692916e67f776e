// validate/repo-files.ts reads the manifests into one reused buffer and decodes an ASCII file as
// latin1: the texts must be exactly what readFileSync(file, 'utf8') gives, whatever the bytes
// (UTF-8, invalid UTF-8, a BOM, empty, a file larger than the read-ahead or the first buffer),
// and the shared bytes exactly the files'.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRepoFiles, readTexts } from '../../generators/validate/repo-files.ts';

function tree(): { root: string; files: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gs-repo-files-'));
  const contents: Record<string, Buffer> = {
    'a.yaml': Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'),
    'b/utf8.yaml': Buffer.from('data:\n  greeting: "grüß dich, 世界 🌍"\n'),
    'b/invalid.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a, 0xff, 0xfe, 0x0a, 0xe2, 0x82]),
    'b/bom.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('kind: List\n')]),
    'c/empty.yaml': Buffer.alloc(0),
    'c/large.json': Buffer.from(`{"data": "${'x'.repeat(200_000)}"}`),
    'c/large-utf8.yaml': Buffer.from(`a: ${'é'.repeat(1_500_000)}\n`),
    'd.yml': Buffer.from('# only a comment\n'),
  };
  for (const [f, bytes] of Object.entries(contents)) {
    fs.mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), bytes);
  }
  return { root, files: Object.keys(contents) };
}

test('readTexts gives readFileSync utf8 texts, and the exact bytes when asked', () => {
  const { root, files } = tree();
  try {
    const expected = files.map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(root, f))));
    for (const keep of [false, true]) {
      const read = readTexts(root, files, keep);
      assert.equal(read.texts, expected, `keep ${keep}`);
      assert.is(read.offsets[files.length], bytes.length);
      files.forEach((f, i) => assert.is(read.offsets[i + 1] - read.offsets[i], fs.statSync(path.join(root, f)).size, f));
      if (keep) assert.ok(read.bytes!.equals(bytes), 'the bytes');
      else assert.is(read.bytes, undefined);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('readRepoFiles: the same texts with and without the shared bytes, and the shared bytes are the files', () => {
  const { root, files } = tree();
  try {
    const plain = readRepoFiles([root]);
    const shared = readRepoFiles([root], process.cwd(), { shared: () => true });
    assert.equal(plain.manifests, shared.manifests);
    assert.equal(new Set(plain.manifests.map((m) => m.path)), new Set(files));
    for (const m of plain.manifests) assert.is(m.content, fs.readFileSync(path.join(root, m.path), 'utf8'), m.path);
    const view = Buffer.from(shared.bytes!.buffer);
    shared.manifests.forEach((m, i) => assert.ok(view.subarray(shared.bytes!.offsets[i], shared.bytes!.offsets[i + 1]).equals(fs.readFileSync(path.join(root, m.path))), m.path));
    // Paths relative to the current folder (several paths): read through the joined path.
    const cwd = path.join(root, 'b');
    const outside = readRepoFiles(['../a.yaml', '.'], cwd);
    assert.equal(outside.manifests.find((m) => m.path === '../a.yaml')?.content, fs.readFileSync(path.join(root, 'a.yaml'), 'utf8'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
