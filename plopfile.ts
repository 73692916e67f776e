// Registers the plop generators (people at a keyboard: `npm run plop`). Automation uses the
// gitops-scaffold CLI, which never reaches inquirer. Thin by design: no I/O at load time.

import type { NodePlopAPI } from 'plop';
import { platformGenerator } from './generators/platform.ts';
import { editGenerators } from './generators/edit-generators.ts';

export default function (plop: NodePlopAPI) {
  plop.setGenerator('platform', platformGenerator);
  for (const [name, generator] of Object.entries(editGenerators)) plop.setGenerator(name, generator as any);
}
