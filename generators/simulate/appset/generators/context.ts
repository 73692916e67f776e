// What every generator needs: the ApplicationSet's templating mode and the repository/cluster
// views, plus the errors generators raise (Go's messages, with where in the ApplicationSet).
import type { GoMap } from '../go/values.ts';
import { ControllerError } from '../render.ts';
import type { ExpandContext, ExpansionProblem } from '../types.ts';
import type { RepoService } from './repo-service.ts';

export interface AppSetInfo {
  name: string;
  namespace: string;
  goTemplate: boolean;
  goTemplateOptions: readonly string[];
  /** spec.template.spec.project as written (git generators read that AppProject first). */
  templateProject: string;
}

export interface GenContext {
  appSet: AppSetInfo;
  ctx: ExpandContext;
  repos: RepoService;
  /** Problems that do not stop the controller (unmodelled generators, ignored fields). */
  notes: ExpansionProblem[];
  /**
   * Generators replacing the built-in ones by kind, as upstream's tests inject mocks into the
   * generator map (NewMatrixGenerator(map[string]Generator{...})).
   */
  generators?: Partial<Record<string, (spec: Record<string, unknown>, g: GenContext) => (GoMap | null)[]>>;
}

/** A generator failure, remembering the deepest JSON pointer it concerns. */
export class GeneratorError extends ControllerError {
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(message);
  }
}

/** fmt.Errorf("<context>: %w", err), keeping the pointer of the innermost error. */
export function wrapAt(context: string, pointer: string, e: unknown): never {
  if (e instanceof GeneratorError) throw new GeneratorError(`${context}: ${e.message}`, e.pointer);
  if (e instanceof ControllerError) throw new GeneratorError(`${context}: ${e.message}`, pointer);
  throw e;
}

/** The same error, located at `pointer` unless it already knows a deeper place. */
export function atPointer(pointer: string, e: unknown): never {
  if (e instanceof GeneratorError) throw e;
  if (e instanceof ControllerError) throw new GeneratorError(e.message, pointer);
  throw e;
}

export const ErrEmptyAppSetGenerator = 'ApplicationSet is empty';

/** A generator kind the simulation does not reproduce (it queries an external system). */
export class UnmodelledGenerator extends Error {
  constructor(
    readonly kind: string,
    readonly pointer: string,
  ) {
    super(`the ${kind} generator is not modelled: it queries an external system the simulation has no copy of`);
  }
}

export type ParamSet = GoMap;

export const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
