// The slice of shopspring/decimal v1.4.0 that sprig's addf/subf/mulf/divf use: NewFromFloat (the
// shortest round-tripping digits), exact add/sub/mul, Div rounded half away from zero to 16
// decimal places (DivisionPrecision), and Float64 (nearest double of the decimal text).
import { GoError } from '../go/values.ts';

const DIVISION_PRECISION = 16;

export class Decimal {
  /** value = coef × 10^-scale */
  private constructor(
    private readonly coef: bigint,
    private readonly scale: number,
  ) {}

  static fromFloat(f: number): Decimal {
    if (!Number.isFinite(f)) throw new GoError(`Cannot create a Decimal from ${f}`);
    const [m, e] = f.toExponential().split('e');
    const digits = m.replace('.', '').replace('-', '');
    const exp = Number(e) - (digits.length - 1);
    const sign = f < 0 ? -1n : 1n;
    const coef = sign * BigInt(digits);
    return exp >= 0 ? new Decimal(coef * 10n ** BigInt(exp), 0) : new Decimal(coef, -exp);
  }

  private static align(a: Decimal, b: Decimal): [bigint, bigint, number] {
    const s = Math.max(a.scale, b.scale);
    return [a.coef * 10n ** BigInt(s - a.scale), b.coef * 10n ** BigInt(s - b.scale), s];
  }

  add(o: Decimal): Decimal {
    const [x, y, s] = Decimal.align(this, o);
    return new Decimal(x + y, s);
  }

  sub(o: Decimal): Decimal {
    const [x, y, s] = Decimal.align(this, o);
    return new Decimal(x - y, s);
  }

  mul(o: Decimal): Decimal {
    return new Decimal(this.coef * o.coef, this.scale + o.scale);
  }

  div(o: Decimal): Decimal {
    if (o.coef === 0n) throw new GoError('decimal division by zero');
    // (a/10^sa) / (b/10^sb) to P places: a × 10^(P + sb - sa) / b, rounded half away from zero.
    const shift = DIVISION_PRECISION + o.scale - this.scale;
    let num = this.coef;
    let den = o.coef;
    if (shift >= 0) num *= 10n ** BigInt(shift);
    else den *= 10n ** BigInt(-shift);
    const neg = num < 0n !== den < 0n;
    const an = num < 0n ? -num : num;
    const ad = den < 0n ? -den : den;
    let q = an / ad;
    if ((an % ad) * 2n >= ad) q += 1n;
    return new Decimal(neg ? -q : q, DIVISION_PRECISION);
  }

  toString(): string {
    const neg = this.coef < 0n;
    let d = (neg ? -this.coef : this.coef).toString();
    if (this.scale > 0) {
      d = d.padStart(this.scale + 1, '0');
      d = d.slice(0, d.length - this.scale) + '.' + d.slice(d.length - this.scale);
    }
    return (neg ? '-' : '') + d;
  }

  toFloat64(): number {
    return Number(this.toString());
  }
}
