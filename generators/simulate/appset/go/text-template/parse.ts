// Go text/template's parser (text/template/parse/parse.go, Go 1.23+), producing the trees of
// ./nodes.ts. Parse errors carry Go's text: "template: base:1: function "env" not defined".
import { unquote, unquoteChar } from '../fmt.ts';
import { parseFloat, parseInt, parseUint } from '../strconv.ts';
import { Item, Lexer, type Token } from './lex.ts';
import {
  ActionNode, BoolNode, BranchNode, BreakNode, ChainNode, CommandNode, ContinueNode, DotNode,
  ElseNode, EndNode, FieldNode, IdentifierNode, ListNode, NilNode, NumberNode, PipeNode,
  StringNode, TemplateNode, TextNode, VariableNode, isEmptyTree, type Node, type Source,
} from './nodes.ts';

export class TemplateParseError extends Error {}

export interface Tree {
  name: string;
  root: ListNode;
}

const MAX_STACK_DEPTH = 10000;

class Parser {
  private tokens: Token[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;

  constructor(
    private name: string,
    private readonly src: Source,
    private readonly lex: Lexer,
    private readonly hasFunction: (name: string) => boolean,
    private readonly treeSet: Map<string, Tree>,
  ) {}

  private errorf(message: string): never {
    throw new TemplateParseError(`template: ${this.src.parseName}:${this.tokens[0]?.line ?? 1}: ${message}`);
  }

  private nextToken(): Token {
    const t = this.lex.nextItem();
    return t;
  }

  private next(): Token {
    let t: Token;
    if (this.peekCount > 0) {
      this.peekCount--;
      t = this.tokens[this.peekCount];
    } else {
      t = this.nextToken();
      this.tokens[0] = t;
    }
    return t;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Token): void {
    this.tokens[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Token, t1: Token): void {
    this.tokens[1] = t1;
    this.tokens[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Token {
    if (this.peekCount > 0) return this.tokens[this.peekCount - 1];
    this.peekCount = 1;
    this.tokens[0] = this.nextToken();
    return this.tokens[0];
  }

  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.typ === Item.Space);
    return t;
  }

  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private expect(expected: Item, context: string): Token {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }

  private expectOneOf(a: Item, b: Item, context: string): Token {
    const t = this.nextNonSpace();
    if (t.typ !== a && t.typ !== b) this.unexpected(t, context);
    return t;
  }

  private unexpected(t: Token, context: string): never {
    if (t.typ === Item.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.src.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${t.val}${extra}`);
    }
    this.errorf(`unexpected ${tokenString(t)} in ${context}`);
  }

  private add(tree: Tree): void {
    const existing = this.treeSet.get(tree.name);
    if (!existing || isEmptyTree(existing.root)) {
      this.treeSet.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) this.errorf(`template: multiple definition of template ${JSON.stringify(tree.name)}`);
  }

  /** Top level: like itemList, plus {{define}}. */
  parse(): void {
    const root = new ListNode(this.src, this.peek().pos);
    while (this.peek().typ !== Item.EOF) {
      if (this.peek().typ === Item.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === Item.Define) {
          this.sub('definition').parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${n}`);
      root.nodes.push(n);
    }
    this.add({ name: this.name, root });
  }

  /** A parser for an embedded template sharing this lexer (Go's newT.startParse(t.lex)). */
  private sub(name: string): Parser {
    const p = new Parser(name, this.src, this.lex, this.hasFunction, this.treeSet);
    return p;
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.expectOneOf(Item.String, Item.RawString, context);
    try {
      this.name = unquote(nameTok.val);
    } catch (e) {
      this.errorf((e as Error).message);
    }
    this.expect(Item.RightDelim, context);
    const [root, end] = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${end} in ${context}`);
    this.add({ name: this.name, root });
  }

  private itemList(): [ListNode, Node] {
    const list = new ListNode(this.src, this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== Item.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case Item.Text:
        return new TextNode(this.src, t.pos, t.val);
      case Item.LeftDelim: {
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case Item.Block:
        return this.blockControl();
      case Item.Break:
        return this.breakControl(t);
      case Item.Continue:
        return this.continueControl(t);
      case Item.Else:
        return this.elseControl();
      case Item.End:
        return new EndNode(this.src, this.expect(Item.RightDelim, 'end').pos);
      case Item.If:
        return this.branch('if');
      case Item.Range:
        return this.branch('range');
      case Item.Template:
        return this.templateControl();
      case Item.With:
        return this.branch('with');
    }
    this.backup();
    const tok = this.peek();
    return new ActionNode(this.src, tok.pos, tok.line, this.pipeline('command', Item.RightDelim));
  }

  private breakControl(t: Token): Node {
    const n = this.nextNonSpace();
    if (n.typ !== Item.RightDelim) this.unexpected(n, '{{break}}');
    if (this.rangeDepth === 0) this.errorf('{{break}} outside {{range}}');
    return new BreakNode(this.src, t.pos);
  }

  private continueControl(t: Token): Node {
    const n = this.nextNonSpace();
    if (n.typ !== Item.RightDelim) this.unexpected(n, '{{continue}}');
    if (this.rangeDepth === 0) this.errorf('{{continue}} outside {{range}}');
    return new ContinueNode(this.src, t.pos);
  }

  private pipeline(context: string, end: Item): PipeNode {
    const first = this.peekNonSpace();
    const pipe = new PipeNode(this.src, first.pos, first.line);
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== Item.Variable) break;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === Item.Assign || next.typ === Item.Declare) {
        pipe.isAssign = next.typ === Item.Assign;
        this.nextNonSpace();
        pipe.decl.push(new VariableNode(this.src, v.pos, v.val.split('.')));
        this.vars.push(v.val);
      } else if (next.typ === Item.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(new VariableNode(this.src, v.pos, v.val.split('.')));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === Item.Variable || p === Item.RightDelim || p === Item.RightParen) continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === Item.Space) {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case Item.Bool: case Item.CharConstant: case Item.Complex: case Item.Dot: case Item.Field:
        case Item.Identifier: case Item.Number: case Item.Nil: case Item.RawString: case Item.String:
        case Item.Variable: case Item.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0].type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string')
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private parseControl(context: 'if' | 'range' | 'with'): [PipeNode, ListNode, ListNode | undefined] {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, Item.RightDelim);
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === 'else') {
        // {{else if ...}} / {{else with ...}} are {{else}}{{if ...}}...{{end}}{{end}}.
        if (context === 'if' && this.peek().typ === Item.If) {
          this.next();
          elseList = new ListNode(this.src, next.pos);
          elseList.nodes.push(this.branch('if'));
        } else if (context === 'with' && this.peek().typ === Item.With) {
          this.next();
          elseList = new ListNode(this.src, next.pos);
          elseList.nodes.push(this.branch('with'));
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${next}`);
        }
      }
      return [pipe, list, elseList];
    } finally {
      this.vars.length = mark;
    }
  }

  private branch(context: 'if' | 'range' | 'with'): BranchNode {
    const [pipe, list, elseList] = this.parseControl(context);
    return new BranchNode(this.src, pipe.pos, context, pipe, list, elseList);
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.typ === Item.If || peek.typ === Item.With) return new ElseNode(this.src, peek.pos);
    const t = this.expect(Item.RightDelim, 'else');
    return new ElseNode(this.src, t.pos);
  }

  private blockControl(): Node {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    const pipe = this.pipeline(context, Item.RightDelim);
    const block = this.sub(name);
    const [root, end] = block.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${end} in ${context}`);
    block.add({ name, root });
    return new TemplateNode(this.src, t.pos, name, pipe);
  }

  private templateControl(): Node {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== Item.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, Item.RightDelim);
    }
    return new TemplateNode(this.src, t.pos, name, pipe);
  }

  private parseTemplateName(t: Token, context: string): string {
    if (t.typ === Item.String || t.typ === Item.RawString) {
      try {
        return unquote(t.val);
      } catch (e) {
        this.errorf((e as Error).message);
      }
    }
    this.unexpected(t, context);
  }

  private command(): CommandNode {
    const cmd = new CommandNode(this.src, this.peekNonSpace().pos);
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === Item.Space) continue;
      if (t.typ === Item.RightDelim || t.typ === Item.RightParen) this.backup();
      else if (t.typ !== Item.Pipe) this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | undefined {
    let node = this.term();
    if (!node) return undefined;
    if (this.peek().typ === Item.Field) {
      const chain = new ChainNode(this.src, this.peek().pos, node);
      while (this.peek().typ === Item.Field) chain.add(this.next().val);
      switch (node.type) {
        case 'field':
          node = new FieldNode(this.src, chain.pos, chain.toString().slice(1).split('.'));
          break;
        case 'variable':
          node = new VariableNode(this.src, chain.pos, chain.toString().split('.'));
          break;
        case 'bool': case 'string': case 'number': case 'nil': case 'dot':
          this.errorf(`unexpected . after term ${JSON.stringify(node.toString())}`);
        default:
          node = chain;
      }
    }
    return node;
  }

  private term(): Node | undefined {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case Item.Identifier:
        if (!this.hasFunction(t.val)) this.errorf(`function ${JSON.stringify(t.val)} not defined`);
        return new IdentifierNode(this.src, t.pos, t.val);
      case Item.Dot:
        return new DotNode(this.src, t.pos);
      case Item.Nil:
        return new NilNode(this.src, t.pos);
      case Item.Variable:
        return this.useVar(t.pos, t.val);
      case Item.Field:
        return new FieldNode(this.src, t.pos, t.val.slice(1).split('.'));
      case Item.Bool:
        return new BoolNode(this.src, t.pos, t.val === 'true');
      case Item.CharConstant:
      case Item.Complex:
      case Item.Number:
        return this.newNumber(t);
      case Item.LeftParen: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', Item.RightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case Item.String:
      case Item.RawString: {
        let s: string;
        try {
          s = unquote(t.val);
        } catch (e) {
          this.errorf((e as Error).message);
        }
        return new StringNode(this.src, t.pos, t.val, s);
      }
    }
    this.backup();
    return undefined;
  }

  private useVar(pos: number, name: string): Node {
    const v = new VariableNode(this.src, pos, name.split('.'));
    if (this.vars.includes(v.ident[0])) return v;
    this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
  }

  /** parse.newNumber: which of int / uint / float / complex the literal can be. */
  private newNumber(t: Token): NumberNode {
    const n = new NumberNode(this.src, t.pos, t.val);
    const text = t.val;
    if (t.typ === Item.CharConstant) {
      let ch: string;
      let next: number;
      try {
        [ch, next] = unquoteChar(text, 1, "'");
      } catch (e) {
        this.errorf((e as Error).message);
      }
      if (text.slice(next) !== "'") this.errorf(`malformed character constant: ${text}`);
      const cp = BigInt(ch.codePointAt(0)!);
      Object.assign(n, { int64: cp, isInt: true, uint64: cp, isUint: true, float64: Number(cp), isFloat: true });
      return n;
    }
    if (t.typ === Item.Complex || text.endsWith('i')) {
      n.isComplex = true;
      return n;
    }
    try {
      n.uint64 = parseUint(text, 0);
      n.isUint = true;
    } catch {
      /* not a uint */
    }
    try {
      n.int64 = parseInt(text, 0);
      n.isInt = true;
      if (n.int64 === 0n) {
        n.isUint = true;
      }
    } catch {
      /* not an int */
    }
    if (n.isInt) {
      n.isFloat = true;
      n.float64 = Number(n.int64);
    } else if (n.isUint) {
      n.isFloat = true;
      n.float64 = Number(n.uint64);
    } else {
      let f: number | undefined;
      try {
        f = parseFloat(text);
      } catch {
        f = undefined;
      }
      if (f !== undefined) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${text}`);
        n.isFloat = true;
        n.float64 = f;
        if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
          n.isInt = true;
          n.int64 = BigInt(f);
        }
        if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
          n.isUint = true;
          n.uint64 = BigInt(f);
        }
      }
    }
    if (!n.isInt && !n.isUint && !n.isFloat) this.errorf(`illegal number syntax: ${JSON.stringify(text)}`);
    return n;
  }
}

function tokenString(t: Token): string {
  if (t.typ === Item.EOF) return 'EOF';
  if (t.typ === Item.Error) return t.val;
  if (t.typ > Item.Keyword) return `<${t.val}>`;
  if (t.val.length > 10) return `${JSON.stringify(t.val.slice(0, 10))}...`;
  return JSON.stringify(t.val);
}

/**
 * Parses `text` as the template `name`, adding it and every {{define}}/{{block}} to `treeSet`.
 * `hasFunction` answers whether a name is in the function map (checked at parse time, as Go does).
 */
export function parseTemplate(
  name: string,
  text: string,
  hasFunction: (name: string) => boolean,
  treeSet: Map<string, Tree>,
): void {
  const src: Source = { text, parseName: name };
  const lex = new Lexer(text, { breakOK: !hasFunction('break'), continueOK: !hasFunction('continue') });
  new Parser(name, src, lex, hasFunction, treeSet).parse();
}
