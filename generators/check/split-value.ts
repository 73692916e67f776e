// A value of the simulation's cache (sim.jsonl, check/cache-store.ts) whose parts are parsed on
// demand: what model.ts keeps of an ApplicationSet's expansion, one part per Application.
/**
 * A value of the simulation's cache as a head and parts kept as JSON text, each parsed only when
 * asked for (`part(i)`): in sim.jsonl the parts follow the head on its line, tab-separated (JSON
 * text holds no raw tab or newline), so a get parses the head and slices nothing else; a part
 * never asked for is never parsed, and is written back as its bytes. Through JSON (toJSON) it is
 * `{head, parts: [texts]}`, which `from` takes back (a cache carried through JSON).
 */
export class SplitValue {
  private parsed: unknown[] = [];
  private constructor(
    readonly head: unknown,
    readonly size: number,
    private readonly strings?: readonly string[],
    private readonly file?: Buffer,
    private readonly bounds?: readonly number[],
  ) {}
  static of(head: unknown, texts: readonly string[]): SplitValue {
    return new SplitValue(head, texts.length, texts);
  }
  /** Parts at `bounds` (start and end of each) in a file's bytes. */
  static inFile(head: unknown, file: Buffer, bounds: readonly number[]): SplitValue {
    return new SplitValue(head, bounds.length / 2, undefined, file, bounds);
  }
  /** The SplitValue `v` is, or was before going through JSON; else undefined. */
  static from(v: unknown): SplitValue | undefined {
    if (v instanceof SplitValue) return v;
    const o = v as { head?: unknown; parts?: unknown };
    if (!o || typeof o !== 'object' || !('head' in o) || !Array.isArray(o.parts) || !o.parts.every((t) => typeof t === 'string') || Object.keys(o).length !== 2) return undefined;
    return SplitValue.of(o.head, o.parts);
  }
  text(i: number): string {
    if (this.strings) return this.strings[i];
    return this.file!.toString('utf8', this.bounds![2 * i], this.bounds![2 * i + 1]);
  }
  texts(): string[] {
    return Array.from({ length: this.size }, (_, i) => this.text(i));
  }
  /** Part i parsed (once); throws when its text does not parse. */
  part(i: number): unknown {
    if (!(i in this.parsed)) this.parsed[i] = JSON.parse(this.text(i));
    return this.parsed[i];
  }
  /** How many parts have been parsed. */
  get partsParsed(): number {
    return Object.keys(this.parsed).length;
  }
  toJSON(): { head: unknown; parts: string[] } {
    return { head: this.head, parts: this.texts() };
  }
}
