// `gitops-scaffold upgrade`: move a repository from the pins it records to this tool's, re-render
// with the three-way merge (hand edits kept, overlapping ones reported as conflicts) and say what
// moved, with the upstream notes. `upgradeRepo` is the library function; planning is
// model/pins.ts `planUpgrade` (pure).

import { patchModelText } from '../model/edits.ts';
import { planUpgrade, type UpgradePlan } from '../model/pins.ts';
import type { PlatformSpec } from '../model/types.ts';
import { run, type RunResult } from '../pipeline.ts';
import { parseModelForEdit } from '../io/model-input.ts';
import path from 'node:path';
import { asJson, summarize } from '../io/output.ts';
import { describeUpgrade } from '../pr/describe.ts';
import { readModel, describeDiff } from './edit.ts';
import { deliver } from './handlers/deliver.ts';
import type { Io } from './types.ts';

export interface UpgradeOutcome {
  plan: UpgradePlan;
  result: RunResult;
  /** platform.yaml changes the upgrade made (an `argocd.version` that named the recorded pin). */
  model: string[];
}

/**
 * `argocd.version` in platform.yaml overrides the pin. When it names the recorded pin, the repo
 * followed the tool's pin (init writes it out), so it moves with it; another value is the team's
 * own choice and stays.
 */
function followPins(spec: PlatformSpec, plan: UpgradePlan): { spec: PlatformSpec; model: string[] } {
  const written = spec.argocd?.version;
  const from = plan.from.pins.argocd.version;
  const to = plan.to.pins.argocd.version;
  if (!written || written === to) return { spec, model: [] };
  if (written !== from) return { spec, model: [`argocd.version stays ${written} (set in platform.yaml, not the recorded pin ${from}); remove it to follow the pins`] };
  return { spec: { ...spec, argocd: { ...spec.argocd, version: to } }, model: [`argocd.version ${from} -> ${to} (platform.yaml named the recorded pin)`] };
}

export function upgradeRepo(req: { root: string; dryRun?: boolean; force?: boolean; check?: boolean }): UpgradeOutcome {
  let plan: UpgradePlan | undefined;
  let model: string[] = [];
  const result = run({
    root: req.root,
    command: 'upgrade',
    // The record and platform.yaml as read under the lock: the plan is made from exactly them.
    model: ({ text, record, written }) => {
      if (text === undefined) readModel(req.root); // throws the usual "no platform.yaml" error
      plan = planUpgrade(record);
      const previous = parseModelForEdit(text!, path.join(req.root, 'platform.yaml'));
      const followed = followPins(previous, plan);
      model = followed.model;
      return { spec: followed.spec, modelText: followed.spec === previous ? text : patchModelText(text!, followed.spec, { written }), pins: plan.to.pins };
    },
    // The merge base is the recorded model rendered with the recorded pins (the run's default).
    dryRun: req.dryRun,
    force: req.force,
    check: req.check,
  });
  return { plan: plan!, result, model };
}

/** What moved, for people: one line per pin, its notes below it. */
export function describeUpgradePlan(o: UpgradeOutcome, dryRun: boolean): string {
  const { plan } = o;
  const lines: string[] = [];
  const from = plan.from.tool ? `gitops-scaffold ${plan.from.tool}` : 'a repository that recorded no pins';
  // The same version on both sides reads as one: "rendered by 0.1.0, which is this version".
  if (!plan.moves.length && !o.model.length)
    lines.push(plan.from.tool === plan.to.tool ? `Nothing to upgrade: the repository already uses the pins of gitops-scaffold ${plan.to.tool}, the version that rendered it.` : `Nothing to upgrade: the pins recorded by ${from} are those of gitops-scaffold ${plan.to.tool}.`);
  else {
    lines.push(`${dryRun ? 'Would upgrade' : 'Upgraded'} from the pins of ${from} to those of gitops-scaffold ${plan.to.tool}:`);
    const width = Math.max(...plan.moves.map((m) => m.label.length), 10);
    for (const m of plan.moves) {
      lines.push(`  ${m.label.padEnd(width)}  ${m.from} -> ${m.to}${m.kind === 'repin' ? '  (same release, pinned anew)' : m.kind === 'added' ? '  (new pin)' : ''}`);
      for (const n of m.notes) lines.push(`  ${' '.repeat(width)}    ${n}`);
      if (m.major) {
        lines.push(`  ${' '.repeat(width)}    major step, what changes:`);
        for (const l of m.major) lines.push(`  ${' '.repeat(width)}      - ${l}`);
      }
    }
    for (const n of o.model) lines.push(`  platform.yaml: ${n}`);
  }
  for (const k of plan.kept) lines.push(`  kept: ${k.label} ${k.recorded} (newer than this tool's ${k.tool}; an upgrade never moves a pin back)`);
  return lines.join('\n');
}

export async function upgradeCommand(flags: Record<string, any>, io: Io, root: string): Promise<number> {
  const dryRun = !!flags['dry-run'];
  const { spec } = readModel(root);
  return deliver<UpgradeOutcome>({
    command: 'upgrade',
    root,
    spec,
    flags,
    io,
    work: (at) => upgradeRepo({ root: at, dryRun, force: !!flags.force, check: !flags['no-check'] }),
    result: (o) => o.result,
    change: (o) => (o.plan.moves.length || o.model.length ? describeUpgrade(o.plan) : undefined),
    text: (o) => [describeUpgradePlan(o, dryRun), o.result.noop ? '' : summarize(o.result, { dryRun, verbose: !!flags.verbose }), dryRun ? describeDiff(o) : ''].filter(Boolean).join('\n'),
    json: (o) => ({ ...asJson('upgrade', o.result, dryRun), upgrade: { from: o.plan.from.tool ?? null, to: o.plan.to.tool, moves: o.plan.moves, kept: o.plan.kept, model: o.model } }),
  });
}

