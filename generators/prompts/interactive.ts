// Interactive init: asks only what the answers file and --set left open, collects spoke
// clusters in a natural loop, and offers to accept defaults for the rest. Loaded lazily, so
// automation never loads inquirer.

import { platformQuestions, answersToSpec } from './questions.ts';

type Prompt = (questions: any[]) => Promise<Record<string, any>>;

export async function askPlatform(known: Record<string, any>, prompt?: Prompt): Promise<Record<string, any>> {
  const ask: Prompt = prompt ?? ((await import('inquirer')).default.prompt as unknown as Prompt);
  const skip = new Set<string>();
  if (known.name) skip.add('name');
  if (known.repo?.url) skip.add('repoUrl');
  if (known.environments) skip.add('environments');
  const first = await ask(platformQuestions.filter((q) => !skip.has(q.name)).slice(0, 3) as any[]);
  const { rest } = await ask([{ type: 'confirm', name: 'rest', message: 'Accept defaults for everything else (one hub cluster serving dev)?', default: false }]);
  let more: Record<string, any> = { hubEnvironments: 'dev', strategy: 'rolling', router: 'none', tenants: '' };
  const spokes: any[] = [];
  if (!rest) {
    more = await ask(platformQuestions.filter((q) => !skip.has(q.name)).slice(3) as any[]);
    while ((await ask([{ type: 'confirm', name: 'again', message: spokes.length ? 'Add another spoke cluster?' : 'Add a spoke cluster?', default: false }])).again) {
      spokes.push(
        await ask([
          { type: 'input', name: 'name', message: `Spoke #${spokes.length + 1} name` },
          { type: 'input', name: 'server', message: 'API server URL' },
          { type: 'input', name: 'environment', message: 'Environment it serves' },
          { type: 'input', name: 'region', message: 'Region', default: 'default' },
        ]),
      );
    }
  }
  const fromPrompts = answersToSpec({ name: known.name, repoUrl: known.repo?.url, environments: known.environments?.map?.((e: any) => e.name), ...first, ...more, spokes });
  return { ...fromPrompts, ...known, repo: { ...fromPrompts.repo, ...known.repo } };
}
