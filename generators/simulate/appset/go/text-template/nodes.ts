// Parse-tree nodes of Go text/template (text/template/parse/node.go). `toString()` reproduces Go's
// String() because execution errors quote the node ("executing "base" at <.cluster>: ...").
import { quote } from '../fmt.ts';

/** The text a tree was parsed from, shared by every node for error positions. */
export interface Source {
  text: string;
  parseName: string;
}

abstract class BaseNode {
  constructor(
    readonly src: Source,
    readonly pos: number,
  ) {}
  abstract toString(): string;
}

export class ListNode extends BaseNode {
  readonly type = 'list';
  nodes: Node[] = [];
  toString() {
    return this.nodes.map(String).join('');
  }
}

export class TextNode extends BaseNode {
  readonly type = 'text';
  constructor(src: Source, pos: number, readonly text: string) {
    super(src, pos);
  }
  toString() {
    return this.text;
  }
}

export class CommentNode extends BaseNode {
  readonly type = 'comment';
  constructor(src: Source, pos: number, readonly text: string) {
    super(src, pos);
  }
  toString() {
    return `{{${this.text}}}`;
  }
}

export class VariableNode extends BaseNode {
  readonly type = 'variable';
  constructor(src: Source, pos: number, readonly ident: string[]) {
    super(src, pos);
  }
  toString() {
    return this.ident.join('.');
  }
}

export class PipeNode extends BaseNode {
  readonly type = 'pipe';
  isAssign = false;
  decl: VariableNode[] = [];
  cmds: CommandNode[] = [];
  constructor(src: Source, pos: number, readonly line: number) {
    super(src, pos);
  }
  toString() {
    let s = '';
    if (this.decl.length > 0) s += this.decl.map(String).join(', ') + (this.isAssign ? ' = ' : ' := ');
    return s + this.cmds.map(String).join(' | ');
  }
}

export class ActionNode extends BaseNode {
  readonly type = 'action';
  constructor(src: Source, pos: number, readonly line: number, readonly pipe: PipeNode) {
    super(src, pos);
  }
  toString() {
    return `{{${this.pipe}}}`;
  }
}

export class CommandNode extends BaseNode {
  readonly type = 'command';
  args: Node[] = [];
  toString() {
    return this.args.map((a) => (a instanceof PipeNode ? `(${a})` : String(a))).join(' ');
  }
}

export class IdentifierNode extends BaseNode {
  readonly type = 'identifier';
  constructor(src: Source, pos: number, readonly ident: string) {
    super(src, pos);
  }
  toString() {
    return this.ident;
  }
}

export class DotNode extends BaseNode {
  readonly type = 'dot';
  toString() {
    return '.';
  }
}

export class NilNode extends BaseNode {
  readonly type = 'nil';
  toString() {
    return 'nil';
  }
}

export class FieldNode extends BaseNode {
  readonly type = 'field';
  constructor(src: Source, pos: number, readonly ident: string[]) {
    super(src, pos);
  }
  toString() {
    return this.ident.map((i) => '.' + i).join('');
  }
}

export class ChainNode extends BaseNode {
  readonly type = 'chain';
  field: string[] = [];
  constructor(src: Source, pos: number, readonly node: Node) {
    super(src, pos);
  }
  add(field: string) {
    if (field.length === 0 || field[0] !== '.') throw new Error('no dot in field');
    const f = field.slice(1);
    if (f === '') throw new Error('empty field');
    this.field.push(f);
  }
  toString() {
    const head = this.node instanceof PipeNode ? `(${this.node})` : String(this.node);
    return head + this.field.map((f) => '.' + f).join('');
  }
}

export class BoolNode extends BaseNode {
  readonly type = 'bool';
  constructor(src: Source, pos: number, readonly value: boolean) {
    super(src, pos);
  }
  toString() {
    return String(this.value);
  }
}

export interface NumberValue {
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
}

export class NumberNode extends BaseNode implements NumberValue {
  readonly type = 'number';
  isInt = false;
  isUint = false;
  isFloat = false;
  isComplex = false;
  int64 = 0n;
  uint64 = 0n;
  float64 = 0;
  constructor(src: Source, pos: number, readonly text: string) {
    super(src, pos);
  }
  toString() {
    return this.text;
  }
}

export class StringNode extends BaseNode {
  readonly type = 'string';
  constructor(src: Source, pos: number, readonly quoted: string, readonly text: string) {
    super(src, pos);
  }
  toString() {
    return this.quoted;
  }
}

export class EndNode extends BaseNode {
  readonly type = 'end';
  toString() {
    return '{{end}}';
  }
}

export class ElseNode extends BaseNode {
  readonly type = 'else';
  toString() {
    return '{{else}}';
  }
}

export class BranchNode extends BaseNode {
  constructor(
    src: Source,
    pos: number,
    readonly type: 'if' | 'range' | 'with',
    readonly pipe: PipeNode,
    readonly list: ListNode,
    readonly elseList: ListNode | undefined,
  ) {
    super(src, pos);
  }
  toString() {
    let s = `{{${this.type} ${this.pipe}}}${this.list}`;
    if (this.elseList) s += `{{else}}${this.elseList}`;
    return s + '{{end}}';
  }
}

export class BreakNode extends BaseNode {
  readonly type = 'break';
  toString() {
    return '{{break}}';
  }
}

export class ContinueNode extends BaseNode {
  readonly type = 'continue';
  toString() {
    return '{{continue}}';
  }
}

export class TemplateNode extends BaseNode {
  readonly type = 'template';
  constructor(src: Source, pos: number, readonly name: string, readonly pipe: PipeNode | undefined) {
    super(src, pos);
  }
  toString() {
    return this.pipe ? `{{template ${quote(this.name)} ${this.pipe}}}` : `{{template ${quote(this.name)}}}`;
  }
}

export type Node =
  | ListNode | TextNode | CommentNode | VariableNode | PipeNode | ActionNode | CommandNode
  | IdentifierNode | DotNode | NilNode | FieldNode | ChainNode | BoolNode | NumberNode | StringNode
  | EndNode | ElseNode | BranchNode | BreakNode | ContinueNode | TemplateNode;

/** Tree.ErrorContext: "name:line:col" (byte column, as Go counts) and the node's text. */
export function errorContext(n: Node): [string, string] {
  const text = n.src.text.slice(0, n.pos);
  const nl = text.lastIndexOf('\n');
  const lineText = nl === -1 ? text : text.slice(nl + 1);
  const byteNum = new TextEncoder().encode(lineText).length;
  const lineNum = 1 + text.split('\n').length - 1;
  return [`${n.src.parseName}:${lineNum}:${byteNum}`, n.toString()];
}

/** parse.IsEmptyTree */
export function isEmptyTree(n: Node | undefined): boolean {
  if (!n) return true;
  switch (n.type) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim() === '';
    default:
      return false;
  }
}
