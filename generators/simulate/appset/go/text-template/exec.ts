// Execution of a parsed Go template (text/template/exec.go, Go 1.22+: break/continue, range over
// integers). Values follow ./values.ts; error texts are Go's, prefixed with the position and node
// as Go's state.errorf writes them.
import { formatValue } from '../fmt.ts';
import {
  GoError, GoInt, NotModelledError, assignableTo, elemType, goTypeOf, int, isGoMap, isTrue, sortedKeys,
  zeroOf,
} from '../values.ts';
import { isVariadic, paramType, type FuncMap, type GoFunc } from './func.ts';
import {
  BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, NumberNode, PipeNode, TemplateNode,
  VariableNode, errorContext, type ListNode, type Node,
} from './nodes.ts';
import type { Tree } from './parse.ts';

export type MissingKey = 'invalid' | 'zero' | 'error';

/** An execution error, with Go's message. */
export class TemplateExecError extends Error {}

const MISSING = Symbol('missing');
type Final = unknown | typeof MISSING;

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

// Go's limit is 100000; a JavaScript stack ends sooner, and either way the template is recursive.
const MAX_EXEC_DEPTH = 2000;

const RV = 'reflect.Value';
const canBeNil = (t: string) => t === 'interface {}' || t === RV || t.startsWith('[]') || t.startsWith('map[');

interface Variable {
  name: string;
  value: unknown;
  /** Static type when it is an interface (an element of a []interface {} being ranged over). */
  type?: string;
}

/** The static type of what a container yields: `interface {}` for map[string]interface {}, ... */
const staticElemType = (container: unknown): string | undefined =>
  isGoMap(container) || Array.isArray(container) ? elemType(goTypeOf(container)!) : undefined;

export interface ExecEnv {
  trees: Map<string, Tree>;
  funcs: FuncMap;
  builtins: FuncMap;
  missingKey: MissingKey;
}

export class State {
  private vars: Variable[];
  private node: Node | undefined;
  /**
   * The static type of dot when it differs from its dynamic one: Go reports "can't evaluate
   * field x in type interface {}" for a value taken out of a map[string]interface {}.
   */
  private dotType: string | undefined;
  out = '';

  constructor(
    private readonly env: ExecEnv,
    private name: string,
    dot: unknown,
    private depth = 0,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  // ------------------------------------------------------------------ errors

  private errorf(message: string): never {
    if (!this.node) throw new TemplateExecError(`template: ${this.name}: ${message}`);
    const [location, context] = errorContext(this.node);
    throw new TemplateExecError(`template: ${location}: executing ${JSON.stringify(this.name)} at <${context}>: ${message}`);
  }

  private at(n: Node): void {
    this.node = n;
  }

  // ------------------------------------------------------------------ variables

  private mark(): number {
    return this.vars.length;
  }
  private pop(m: number): void {
    this.vars.length = m;
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown, type?: string): void {
    this.vars[this.vars.length - n].value = value;
    this.vars[this.vars.length - n].type = type;
  }

  private variable(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i];
    this.errorf(`undefined variable: ${name}`);
  }

  // ------------------------------------------------------------------ walk

  walk(dot: unknown, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'comment':
        return;
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'range':
        return this.walkRange(node, dot);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out += node.text;
        return;
      default:
        this.errorf(`unknown node: ${node}`);
    }
  }

  private walkIfOrWith(node: BranchNode, dot: unknown): void {
    const m = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      const [t, ok] = isTrue(val === null ? undefined : val);
      if (!ok) this.errorf(`if/with can't use ${formatValue(val, 'v')}`);
      if (t && node.type === 'with') this.withDotType(undefined, () => this.walk(val, node.list));
      else if (t) this.walk(dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(m);
    }
  }

  private withDotType(type: string | undefined, body: () => void): void {
    const saved = this.dotType;
    this.dotType = type;
    try {
      body();
    } finally {
      this.dotType = saved;
    }
  }

  private walkRange(r: BranchNode, dot: unknown): void {
    this.at(r);
    const outer = this.mark();
    try {
      let val = this.evalPipeline(dot, r.pipe);
      if (val === null) val = undefined;
      const m = this.mark();
      const decl = r.pipe.decl;
      const elemStatic = staticElemType(val);
      const elemType = elemStatic === 'interface {}' ? elemStatic : undefined;
      const oneIteration = (index: unknown, elem: unknown) => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem, elemType);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
          else this.setTopVar(2, index);
        }
        try {
          this.withDotType(elemType, () => this.walk(elem, r.list));
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(m);
        }
      };
      let ran = false;
      if (Array.isArray(val)) {
        val.forEach((el, i) => {
          ran = true;
          oneIteration(int(i), el);
        });
      } else if (isGoMap(val)) {
        for (const k of sortedKeys(val)) {
          ran = true;
          oneIteration(k, val[k]);
        }
      } else if (val instanceof GoInt) {
        if (decl.length > 1) this.errorf(`can't use ${formatValue(val, 'v')} to iterate over more than one variable`);
        for (let i = 0n; i < val.value; i++) {
          ran = true;
          oneIteration(undefined, new GoInt(val.type, i));
        }
      } else if (val !== undefined) {
        this.errorf(`range can't iterate over ${formatValue(val, 'v')}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.at(t);
    const tree = this.env.trees.get(t.name);
    if (!tree) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf('exceeded maximum template depth (100000)');
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    const sub = new State(this.env, t.name, newDot, this.depth + 1);
    sub.dotType = undefined;
    sub.walk(newDot, tree.root);
    this.out += sub.out;
  }

  // ------------------------------------------------------------------ evaluation

  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An interface holding nil is dug out to an invalid value ("lovely!" in exec.go).
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], value);
      else this.vars.push({ name: v.ident[0], value });
    }
    return value;
  }

  private notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${args[0]}`);
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    this.errorf(`can't evaluate command ${JSON.stringify(String(first))}`);
  }

  private idealConstant(c: NumberNode): unknown {
    this.at(c);
    if (c.isComplex) throw new NotModelledError(`complex number constants (${c.text}) are not modelled`);
    const isHexInt = c.text.length > 2 && c.text[0] === '0' && /[xX]/.test(c.text[1]) && !/[pP]/.test(c.text);
    const isRuneInt = c.text.startsWith("'");
    if (c.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(c.text)) return c.float64;
    if (c.isInt) return int(c.int64);
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: unknown, field: FieldNode, args: Node[], final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dot, this.dotType, field, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, chain: ChainNode, args: Node[], final: Final): unknown {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${chain}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, undefined, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, v: VariableNode, args: Node[], final: Final): unknown {
    this.at(v);
    const variable = this.variable(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return variable.value;
    }
    return this.evalFieldChain(dot, variable.value, variable.type, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, receiverType: string | undefined, node: Node, ident: string[], args: Node[], final: Final): unknown {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) {
      const next = this.evalField(dot, ident[i], node, [], MISSING, receiver, receiverType);
      receiverType = staticElemType(receiver);
      receiver = next;
    }
    return this.evalField(dot, ident[n - 1], node, args, final, receiver, receiverType);
  }

  private evalField(dot: unknown, fieldName: string, node: Node, args: Node[], final: Final, receiver: unknown, receiverType?: string): unknown {
    if (receiver === undefined) {
      if (this.env.missingKey === 'error') this.errorf(`nil data; no entry for key ${JSON.stringify(fieldName)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (isGoMap(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      if (Object.prototype.hasOwnProperty.call(receiver, fieldName)) return receiver[fieldName];
      switch (this.env.missingKey) {
        case 'zero':
          return zeroOf(elemType(goTypeOf(receiver)!));
        case 'error':
          this.errorf(`map has no entry for key ${JSON.stringify(fieldName)}`);
      }
      return undefined;
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${receiverType ?? goTypeOf(receiver)}`);
  }

  private evalFunction(dot: unknown, node: IdentifierNode, cmd: Node, args: Node[], final: Final): unknown {
    this.at(node);
    const name = node.ident;
    const user = this.env.funcs[name];
    const f = user ?? this.env.builtins[name];
    if (!f) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, f, !user, cmd, name, args, final);
  }

  private evalCall(dot: unknown, f: GoFunc, isBuiltin: boolean, node: Node, name: string, argNodes: Node[], final: Final): unknown {
    const args = argNodes.slice(1);
    const numParams = f.params.length;
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (isVariadic(f)) {
      numFixed = numParams - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numParams - 1} got ${args.length}`);
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: unknown;
      for (const a of args) {
        v = this.evalArg(dot, RV, a);
        if (isTrue(v === null ? undefined : v)[0] === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, RV);
      return v;
    }

    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, f.params[i], args[i]));
    if (isVariadic(f)) for (; i < args.length; i++) argv.push(this.evalArg(dot, paramType(f, i), args[i]));
    if (final !== MISSING) argv.push(this.validateType(final, paramType(f, numIn - 1)));
    try {
      return f.fn(...argv);
    } catch (e) {
      if (e instanceof GoError) {
        this.at(node);
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }

  /** validateType: the value must be valid and assignable to the parameter type. */
  private validateType(value: unknown, typ: string | undefined): unknown {
    if (value === undefined) {
      if (typ === undefined) return undefined;
      if (typ === RV) return undefined;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === undefined || typ === RV) return value;
    if (value === null) {
      if (typ === 'interface {}') return null;
      this.errorf(`wrong type for value; expected ${typ}; got interface {}`);
    }
    if (!assignableTo(value, typ)) this.errorf(`wrong type for value; expected ${typ}; got ${goTypeOf(value)}`);
    return value;
  }

  private evalArg(dot: unknown, typ: string | undefined, n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ !== undefined && canBeNil(typ)) return typ === RV ? undefined : zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, [], MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, [n], MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, [], MISSING), typ);
    }
    switch (typ) {
      case undefined:
      case 'interface {}':
      case RV:
        return this.evalEmptyInterface(dot, n);
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${n}`);
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${n}`);
      case 'float64':
      case 'float32':
        if (n.type === 'number' && n.isFloat) return n.float64;
        this.errorf(`expected float; found ${n}`);
    }
    if (/^int(8|16|32|64)?$/.test(typ)) {
      if (n.type === 'number' && n.isInt) return new GoInt(typ as 'int', n.int64);
      this.errorf(`expected integer; found ${n}`);
    }
    if (/^uint(8|16|32|64|ptr)?$/.test(typ)) {
      if (n.type === 'number' && n.isUint) return new GoInt(typ as 'uint', n.uint64);
      this.errorf(`expected unsigned integer; found ${n}`);
    }
    this.errorf(`can't handle ${n} for arg of type ${typ}`);
  }

  private evalEmptyInterface(dot: unknown, n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'dot':
        return dot;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
    }
    this.errorf(`can't handle assignment of ${n} to empty interface argument`);
  }

  private printValue(n: Node, v: unknown): void {
    this.at(n);
    if (v === undefined || v === null) {
      this.out += '<no value>';
      return;
    }
    if (typeof v === 'function') this.errorf(`can't print ${n} of type ${goTypeOf(v)}`);
    this.out += formatValue(v, 'v');
  }
}

export function execute(env: ExecEnv, name: string, data: unknown): string {
  const tree = env.trees.get(name);
  const state = new State(env, name, data);
  if (!tree) throw new TemplateExecError(`template: ${name}: ${JSON.stringify(name)} is an incomplete or empty template`);
  state.walk(data, tree.root as ListNode);
  return state.out;
}
