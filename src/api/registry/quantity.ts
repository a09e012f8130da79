// resource.Quantity: parse, compare and print in the canonical form the API server writes back.
// Values are held exactly as a count of nano-units; precision below that rounds up, as Kubernetes does.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  nano: bigint;
  format: QuantityFormat;
}

export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const NANO = 1_000_000_000n;
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_SUFFIX_BY_EXPONENT = Object.fromEntries(Object.entries(DECIMAL_EXPONENTS).map(([s, e]) => [e, s]));

const pow = (base: bigint, exp: number) => base ** BigInt(exp);

/** Divides rounding away from zero, so that nothing smaller than a nano-unit is lost silently. */
function divideUp(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num % den === 0n ? q : q + (num < 0n ? -1n : 1n);
}

/** Parses a quantity string or number; undefined when it is not one. */
export function parseQuantity(input: unknown): Quantity | undefined {
  const text = typeof input === 'number' ? String(input) : input;
  if (typeof text !== 'string') return undefined;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction = '', suffix = ''] = m;
  if (whole === '' && fraction === '') return undefined;
  const mantissa = BigInt((whole || '0') + fraction) * (sign === '-' ? -1n : 1n);

  let num = mantissa * NANO;
  let den = pow(10n, fraction.length);
  let format: QuantityFormat = 'DecimalSI';
  const binary = BINARY_SUFFIXES.indexOf(suffix);
  if (suffix !== '' && binary > 0) {
    num *= pow(1024n, binary);
    format = 'BinarySI';
  } else {
    const exponent = suffix in DECIMAL_EXPONENTS ? DECIMAL_EXPONENTS[suffix] : Number(suffix.slice(1));
    if (!(suffix in DECIMAL_EXPONENTS)) format = 'DecimalExponent';
    if (exponent >= 0) num *= pow(10n, exponent);
    else den *= pow(10n, -exponent);
  }
  return { nano: divideUp(num, den), format };
}

export const compareQuantities = (a: Quantity, b: Quantity): number => (a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0);

export const addQuantities = (a: Quantity, b: Quantity): Quantity => ({ nano: a.nano + b.nano, format: a.format });

/** The canonical string (Quantity.String()): "1000m" → "1", "2048Mi" → "2Gi", "0.5" → "500m". */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const sign = q.nano < 0n ? '-' : '';
  const abs = q.nano < 0n ? -q.nano : q.nano;
  // Binary suffixes only for whole values of at least 1Ki; anything else would lose precision or confuse.
  if (q.format === 'BinarySI' && abs >= 1024n * NANO && abs % NANO === 0n) {
    let units = abs / NANO;
    let i = 0;
    while (i < BINARY_SUFFIXES.length - 1 && units % 1024n === 0n) { units /= 1024n; i++; }
    return `${sign}${units}${BINARY_SUFFIXES[i]}`;
  }
  let mantissa = abs;
  let exponent = -9;
  while (mantissa % 1000n === 0n && exponent < 18) { mantissa /= 1000n; exponent += 3; }
  if (q.format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  return `${sign}${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT[exponent]}`;
}

/** Rewrites a quantity in canonical form, leaving anything unparseable for validation to report. */
export function canonicalQuantity(input: unknown): unknown {
  const q = parseQuantity(input);
  return q ? formatQuantity(q) : input;
}
