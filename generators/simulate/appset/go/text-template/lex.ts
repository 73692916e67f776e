// Go text/template's lexer (text/template/parse/lex.go, Go 1.23+): trim markers `{{- ` / ` -}}`,
// comments, newlines inside actions, break/continue keywords, number syntax with underscores and
// 0x/0o/0b prefixes. Error texts are Go's, since they end up in the ApplicationSet condition.

export enum Item {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  Keyword, // delimits the keywords
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Token {
  typ: Item;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, Item> = {
  '.': Item.Dot,
  block: Item.Block,
  break: Item.Break,
  continue: Item.Continue,
  define: Item.Define,
  else: Item.Else,
  end: Item.End,
  if: Item.If,
  range: Item.Range,
  nil: Item.Nil,
  template: Item.Template,
  with: Item.With,
};

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const TRIM_MARKER_LEN = 2; // marker plus the space before or after it
const EOF = '';

export const isSpace = (r: string) => r === ' ' || r === '\t' || r === '\r' || r === '\n';
export const isAlphaNumeric = (r: string) => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
const hasLeftTrimMarker = (s: string) => s.length >= 2 && s[0] === '-' && isSpace(s[1]);
const hasRightTrimMarker = (s: string) => s.length >= 2 && isSpace(s[0]) && s[1] === '-';

const rightTrimLength = (s: string) => s.length - s.replace(/[ \t\r\n]+$/, '').length;
const leftTrimLength = (s: string) => s.length - s.replace(/^[ \t\r\n]+/, '').length;

/** Go's %#U: U+0021 '!' */
export function goRuneName(r: string): string {
  const cp = r.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${r}'`;
}

const count = (s: string, ch: string) => s.split(ch).length - 1;

type StateFn = ((l: Lexer) => StateFn) | null;

export interface LexOptions {
  breakOK: boolean;
  continueOK: boolean;
}

export class Lexer {
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private item!: Token;
  private insideAction = false;

  constructor(
    private input: string,
    readonly options: LexOptions,
  ) {}

  next(): string {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos)!;
    const r = String.fromCodePoint(cp);
    this.pos += r.length;
    if (r === '\n') this.line++;
    return r;
  }

  peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const prev = this.input.charCodeAt(this.pos - 1);
      const w = prev >= 0xdc00 && prev <= 0xdfff && this.pos >= 2 ? 2 : 1;
      this.pos -= w;
      if (this.input[this.pos] === '\n') this.line--;
    }
  }

  private thisItem(typ: Item): Token {
    const t = { typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return t;
  }

  private emit(typ: Item): StateFn {
    return this.emitItem(this.thisItem(typ));
  }

  private emitItem(t: Token): StateFn {
    this.item = t;
    return null;
  }

  private ignore(): void {
    this.line += count(this.input.slice(this.start, this.pos), '\n');
    this.start = this.pos;
    this.startLine = this.line;
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(r)) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(r)) break;
    }
    this.backup();
  }

  private errorf(message: string): StateFn {
    this.item = { typ: Item.Error, pos: this.start, val: message, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }

  nextItem(): Token {
    this.item = { typ: Item.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let state: StateFn = this.insideAction ? lexInsideAction : lexText;
    while (state) state = state(this);
    return this.item;
  }

  // State functions follow, as methods so they can reach the private state.

  lexText(): StateFn {
    const x = this.input.indexOf(LEFT_DELIM, this.pos);
    if (x >= 0) {
      if (x > this.pos) {
        this.pos = x;
        let trimLength = 0;
        const delimEnd = this.pos + LEFT_DELIM.length;
        if (hasLeftTrimMarker(this.input.slice(delimEnd))) trimLength = rightTrimLength(this.input.slice(this.start, this.pos));
        this.pos -= trimLength;
        this.line += count(this.input.slice(this.start, this.pos), '\n');
        const i = this.thisItem(Item.Text);
        this.pos += trimLength;
        this.ignore();
        if (i.val.length > 0) return this.emitItem(i);
      }
      return lexLeftDelim;
    }
    this.pos = this.input.length;
    if (this.pos > this.start) {
      this.line += count(this.input.slice(this.start, this.pos), '\n');
      return this.emit(Item.Text);
    }
    return this.emit(Item.EOF);
  }

  private atRightDelim(): [boolean, boolean] {
    const rest = this.input.slice(this.pos);
    if (hasRightTrimMarker(rest) && rest.slice(TRIM_MARKER_LEN).startsWith(RIGHT_DELIM)) return [true, true];
    if (rest.startsWith(RIGHT_DELIM)) return [true, false];
    return [false, false];
  }

  lexLeftDelim(): StateFn {
    this.pos += LEFT_DELIM.length;
    const trimSpace = hasLeftTrimMarker(this.input.slice(this.pos));
    const afterMarker = trimSpace ? TRIM_MARKER_LEN : 0;
    if (this.input.slice(this.pos + afterMarker).startsWith(LEFT_COMMENT)) {
      this.pos += afterMarker;
      this.ignore();
      return lexComment;
    }
    const i = this.thisItem(Item.LeftDelim);
    this.insideAction = true;
    this.pos += afterMarker;
    this.ignore();
    this.parenDepth = 0;
    return this.emitItem(i);
  }

  lexComment(): StateFn {
    this.pos += LEFT_COMMENT.length;
    const x = this.input.indexOf(RIGHT_COMMENT, this.pos);
    if (x < 0) return this.errorf('unclosed comment');
    this.pos = x + RIGHT_COMMENT.length;
    const [delim, trimSpace] = this.atRightDelim();
    if (!delim) return this.errorf('comment ends before closing delimiter');
    this.line += count(this.input.slice(this.start, this.pos), '\n');
    this.thisItem(Item.Comment);
    if (trimSpace) this.pos += TRIM_MARKER_LEN;
    this.pos += RIGHT_DELIM.length;
    if (trimSpace) this.pos += leftTrimLength(this.input.slice(this.pos));
    this.ignore();
    // Comments are not emitted: the controller parses without ParseComments.
    return lexText;
  }

  lexRightDelim(): StateFn {
    const [, trimSpace] = this.atRightDelim();
    if (trimSpace) {
      this.pos += TRIM_MARKER_LEN;
      this.ignore();
    }
    this.pos += RIGHT_DELIM.length;
    const i = this.thisItem(Item.RightDelim);
    if (trimSpace) {
      this.pos += leftTrimLength(this.input.slice(this.pos));
      this.ignore();
    }
    this.insideAction = false;
    return this.emitItem(i);
  }

  lexInsideAction(): StateFn {
    const [delim] = this.atRightDelim();
    if (delim) {
      if (this.parenDepth === 0) return lexRightDelim;
      return this.errorf('unclosed left paren');
    }
    const r = this.next();
    if (r === EOF) return this.errorf('unclosed action');
    if (isSpace(r)) {
      this.backup(); // put the space back in case of " -}}"
      return lexSpace;
    }
    switch (r) {
      case '=':
        return this.emit(Item.Assign);
      case ':':
        if (this.next() !== '=') return this.errorf('expected :=');
        return this.emit(Item.Declare);
      case '|':
        return this.emit(Item.Pipe);
      case '"':
        return lexQuote;
      case '`':
        return lexRawQuote;
      case '$':
        return lexVariable;
      case "'":
        return lexChar;
      case '(':
        this.parenDepth++;
        return this.emit(Item.LeftParen);
      case ')':
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf('unexpected right paren');
        return this.emit(Item.RightParen);
    }
    if (r === '.') {
      if (this.pos < this.input.length) {
        const c = this.input[this.pos];
        if (c < '0' || c > '9') return lexField;
      }
      this.backup();
      return lexNumber;
    }
    if (r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      this.backup();
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      return lexIdentifier;
    }
    const cp = r.codePointAt(0)!;
    if (cp <= 0x7f && cp >= 0x20 && cp < 0x7f) return this.emit(Item.Char);
    return this.errorf(`unrecognized character in action: ${goRuneName(r)}`);
  }

  lexSpace(): StateFn {
    let numSpaces = 0;
    for (;;) {
      const r = this.peek();
      if (!isSpace(r)) break;
      this.next();
      numSpaces++;
    }
    const rest = this.input.slice(this.pos - 1);
    if (hasRightTrimMarker(rest) && rest.slice(TRIM_MARKER_LEN).startsWith(RIGHT_DELIM)) {
      this.backup();
      if (numSpaces === 1) return lexRightDelim;
    }
    return this.emit(Item.Space);
  }

  lexIdentifier(): StateFn {
    for (;;) {
      const r = this.next();
      if (r !== EOF && isAlphaNumeric(r)) continue;
      this.backup();
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.errorf(`bad character ${goRuneName(r)}`);
      const kw = KEYWORDS[word];
      if (kw !== undefined && kw > Item.Keyword) {
        if ((kw === Item.Break && !this.options.breakOK) || (kw === Item.Continue && !this.options.continueOK))
          return this.emit(Item.Identifier);
        return this.emit(kw);
      }
      if (word[0] === '.') return this.emit(Item.Field);
      if (word === 'true' || word === 'false') return this.emit(Item.Bool);
      return this.emit(Item.Identifier);
    }
  }

  lexFieldOrVariable(typ: Item.Field | Item.Variable): StateFn {
    if (this.atTerminator()) return this.emit(typ === Item.Variable ? Item.Variable : Item.Dot);
    let r: string;
    for (;;) {
      r = this.next();
      if (r === EOF || !isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf(`bad character ${goRuneName(r)}`);
    return this.emit(typ);
  }

  lexVariable(): StateFn {
    if (this.atTerminator()) return this.emit(Item.Variable);
    return this.lexFieldOrVariable(Item.Variable);
  }

  private atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === EOF || '.,|:)('.includes(r)) return true;
    return this.input.slice(this.pos).startsWith(RIGHT_DELIM);
  }

  lexChar(): StateFn {
    for (;;) {
      const r = this.next();
      if (r === '\\') {
        const e = this.next();
        if (e !== EOF && e !== '\n') continue;
        return this.errorf('unterminated character constant');
      }
      if (r === EOF || r === '\n') return this.errorf('unterminated character constant');
      if (r === "'") break;
    }
    return this.emit(Item.CharConstant);
  }

  lexNumber(): StateFn {
    if (!this.scanNumber()) return this.errorf(`bad number syntax: ${JSON.stringify(this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === '+' || sign === '-') {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i')
        return this.errorf(`bad number syntax: ${JSON.stringify(this.input.slice(this.start, this.pos))}`);
      return this.emit(Item.Complex);
    }
    return this.emit(Item.Number);
  }

  private scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    const p = this.peek();
    if (p !== EOF && isAlphaNumeric(p)) {
      this.next();
      return false;
    }
    return true;
  }

  lexQuote(): StateFn {
    for (;;) {
      const r = this.next();
      if (r === '\\') {
        const e = this.next();
        if (e !== EOF && e !== '\n') continue;
        return this.errorf('unterminated quoted string');
      }
      if (r === EOF || r === '\n') return this.errorf('unterminated quoted string');
      if (r === '"') break;
    }
    return this.emit(Item.String);
  }

  lexRawQuote(): StateFn {
    for (;;) {
      const r = this.next();
      if (r === EOF) return this.errorf('unterminated raw quoted string');
      if (r === '`') break;
    }
    return this.emit(Item.RawString);
  }
}

const lexText = (l: Lexer) => l.lexText();
const lexLeftDelim = (l: Lexer) => l.lexLeftDelim();
const lexComment = (l: Lexer) => l.lexComment();
const lexRightDelim = (l: Lexer) => l.lexRightDelim();
const lexInsideAction = (l: Lexer) => l.lexInsideAction();
const lexSpace = (l: Lexer) => l.lexSpace();
const lexIdentifier = (l: Lexer) => l.lexIdentifier();
const lexField = (l: Lexer) => l.lexFieldOrVariable(Item.Field);
const lexVariable = (l: Lexer) => l.lexVariable();
const lexChar = (l: Lexer) => l.lexChar();
const lexNumber = (l: Lexer) => l.lexNumber();
const lexQuote = (l: Lexer) => l.lexQuote();
const lexRawQuote = (l: Lexer) => l.lexRawQuote();
