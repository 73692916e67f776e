// A Go text/template Template: a function map, options (`missingkey=...`) and a set of named
// trees. Mirrors what applicationset/utils/utils.go does per string: clone the "base" template
// that carries the function map, apply goTemplateOptions, Parse, Execute.
import { builtins } from './builtins.ts';
import { execute, type MissingKey } from './exec.ts';
import type { FuncMap } from './func.ts';
import { parseTemplate, type Tree } from './parse.ts';

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

  execute(data: unknown): string {
    const constant = this.constantText();
    if (constant !== null) return constant;
    return execute({ trees: this.trees, funcs: this.funcs, builtins, missingKey: this.missingKey }, this.name, data);
  }
}
