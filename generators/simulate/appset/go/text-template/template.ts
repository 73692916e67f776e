// A Go text/template Template: a function map, options (`missingkey=...`) and a set of named
// trees. Mirrors what applicationset/utils/utils.go does per string: clone the "base" template
// that carries the function map, apply goTemplateOptions, Parse, Execute.
import { builtins } from './builtins.ts';
import { execute, type MissingKey } from './exec.ts';
import type { FuncMap } from './func.ts';
import { parseTemplate, type Tree } from './parse.ts';
import { isGoMap } from '../values.ts';

export { TemplateExecError } from './exec.ts';
export { TemplateParseError } from './parse.ts';

/** template.Option panics on an option it does not know; the caller reports it. */
export class TemplateOptionError extends Error {}

export class GoTemplate {
  private readonly trees = new Map<string, Tree>();
  private missingKey: MissingKey = 'invalid';

  constructor(
    readonly name: string,
    private readonly funcs: FuncMap,
  ) {}

  /** template.Option, with Go's panic texts as errors. */
  option(opt: string): this {
    if (opt === '') throw new TemplateOptionError('empty option string');
    const eq = opt.indexOf('=');
    if (eq >= 0 && opt.slice(0, eq) === 'missingkey') {
      const value = opt.slice(eq + 1);
      if (value === 'invalid' || value === 'default') this.missingKey = 'invalid';
      else if (value === 'zero') this.missingKey = 'zero';
      else if (value === 'error') this.missingKey = 'error';
      else throw new TemplateOptionError(`unrecognized option: ${opt}`);
      return this;
    }
    throw new TemplateOptionError(`unrecognized option: ${opt}`);
  }

  /**
   * The output when the template is text only (no action: most strings of an Application
   * template), which executing would only copy out; null when it has actions or no tree.
   */
  private constant: string | null | undefined;

  parse(text: string): this {
    this.constant = undefined;
    this.fields = undefined;
    const has = (n: string) => n in this.funcs || n in builtins;
    // Parse into a scratch set first: Go leaves the template unchanged when parsing fails.
    const set = new Map(this.trees);
    parseTemplate(this.name, text, has, set);
    for (const [k, v] of set) {
      const old = this.trees.get(k);
      // Template.associate: an empty redefinition does not replace an existing template.
      if (old && v !== old && v.root.nodes.every((n) => n.type === 'text' && n.text.trim() === '') && old.root.nodes.length)
        continue;
      this.trees.set(k, v);
    }
    return this;
  }

  /** What executing writes whatever the data, when the template is text only; else null. */
  constantText(): string | null {
    if (this.constant === undefined) {
      const nodes = this.trees.get(this.name)?.root.nodes;
      this.constant = nodes && nodes.every((n) => n.type === 'text') ? nodes.map((n) => (n as { text: string }).text).join('') : null;
    }
    return this.constant;
  }

  /**
   * The template as text and field chains (`{{ .a.b }}`: one command, one field node, no
   * variables), when that is all it is (an Application template's `{{ .service }}-{{ .env }}`);
   * null otherwise. See fastExecute.
   */
  private fields: (string | readonly string[])[] | null | undefined;

  private fieldPlan(): (string | readonly string[])[] | null {
    if (this.fields === undefined) {
      const nodes = this.trees.get(this.name)?.root.nodes;
      let plan: (string | readonly string[])[] | null = nodes ? [] : null;
      for (const n of nodes ?? []) {
        if (n.type === 'text') plan!.push(n.text);
        else if (n.type === 'action' && n.pipe.decl.length === 0 && n.pipe.cmds.length === 1 && n.pipe.cmds[0].args.length === 1 && n.pipe.cmds[0].args[0].type === 'field')
          plan!.push((n.pipe.cmds[0].args[0] as { ident: string[] }).ident);
        else {
          plan = null;
          break;
        }
      }
      this.fields = plan;
    }
    return this.fields;
  }

  /**
   * What execute writes for a field-chain template when every chain walks maps that hold each
   * key and ends on a string (exec.go evalField on a map, then printValue of a string: the
   * string itself); undefined for anything else (a missing key, a value that is not a map or
   * not a string), which execute then evaluates the full way. Reads only: falling back is exact.
   */
  private fastExecute(plan: readonly (string | readonly string[])[], data: unknown): string | undefined {
    let out = '';
    for (const part of plan) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      let v: unknown = data;
      for (const key of part) {
        if (!isGoMap(v) || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
        v = v[key];
      }
      if (typeof v !== 'string') return undefined;
      out += v;
    }
    return out;
  }

  execute(data: unknown): string {
    const constant = this.constantText();
    if (constant !== null) return constant;
    const plan = this.fieldPlan();
    if (plan) {
      const fast = this.fastExecute(plan, data);
      if (fast !== undefined) return fast;
    }
    return this.executeFully(data);
  }

  /** execute without the field-chain shortcut (the plain path the shortcut is tested against). */
  executeFully(data: unknown): string {
    return execute({ trees: this.trees, funcs: this.funcs, builtins, missingKey: this.missingKey }, this.name, data);
  }
}
