// Decode-time checks of built-in objects against the type table, as kube-apiserver's strict JSON decoding
// (sigs.k8s.io/json over encoding/json) does them: unknown fields (dropped), duplicate fields, and type errors
// worded exactly as encoding/json and the custom unmarshallers (Quantity, Time, Duration...) word them.
import { definition, elementGoType, impliedGoType, parseTypeRef, type DefinitionInfo, type FieldInfo, type ValueType } from './types.ts';

export interface ObjectCheck {
  /**
   * Paths of fields the types do not have, as kube-apiserver prints them (`spec.foo`,
   * `spec.template.spec.containers[0].imagePullPolice`). They have been removed from the object.
   */
  unknownFields: string[];
  /**
   * encoding/json errors, e.g. `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
   * kube-apiserver reports only the first: errors that stop Go's decoder (quantities, times, int-or-string) come first.
   */
  typeErrors: string[];
}

/** Checks a parsed JSON object against a definition, removing its unknown fields. */
export function checkObject(object: unknown, defName: string): ObjectCheck {
  const def = definition(defName);
  if (!def) throw new Error(`unknown definition ${defName}`);
  const walk = new Walk();
  walk.value(object, parseTypeRef(defName), impliedGoType(defName));
  return { unknownFields: walk.unknownFields, typeErrors: [...walk.fatalErrors, ...walk.savedErrors] };
}

/** Walks a value and its type together, keeping the two paths Go's decoder keeps. */
class Walk {
  unknownFields: string[] = [];
  /** Errors returned by unmarshallers, which end Go's decoding. */
  fatalErrors: string[] = [];
  /** encoding/json's saved type errors; decoding goes on. */
  savedErrors: string[] = [];
  /** Keys and list indexes from the root, for unknown-field paths. */
  private path: (string | number)[] = [];
  /** encoding/json's error context: JSON names of struct fields (and Go names of embedded structs) from the root. */
  private fields: string[] = [];
  /** The Go struct whose field is being decoded. */
  private struct = '';

  value(value: unknown, type: ValueType, goType: string): void {
    if (value === null) {
      // null leaves Go values unset, except that Duration's unmarshaller parses it as "".
      if (type.kind === 'duration') this.fatalErrors.push(durationError(''));
      return;
    }
    switch (type.kind) {
      case 'string':
        if (typeof value !== 'string') this.typeError(jsonKind(value), goType);
        return;
      case 'bool':
        if (typeof value !== 'boolean') this.typeError(jsonKind(value), goType);
        return;
      case 'double':
        if (typeof value !== 'number') this.typeError(jsonKind(value), goType);
        return;
      case 'int32':
      case 'int64':
        if (!isInteger(value, type.kind === 'int32' ? 32 : 64)) this.typeError(jsonKind(value, true), goType);
        return;
      case 'bytes':
        return this.bytes(value, goType);
      case 'quantity': {
        const error = quantityError(quantityText(value));
        if (error) this.fatalErrors.push(error);
        return;
      }
      case 'int-or-string':
        // IntOrString unmarshals anything but a string into its int32.
        if (typeof value !== 'string' && !isInteger(value, 32)) this.fatalErrors.push(this.typeErrorMessage(jsonKind(value, true), 'int32'));
        return;
      case 'time':
      case 'micro-time':
      case 'duration': {
        if (typeof value !== 'string') {
          this.fatalErrors.push(this.typeErrorMessage(jsonKind(value), 'string'));
          return;
        }
        const error = type.kind === 'duration' ? parseGoDuration(value) : parseGoTime(value, type.kind === 'micro-time');
        if (error) this.fatalErrors.push(error);
        return;
      }
      case 'raw':
      case 'fields-v1':
      case 'json':
        return;
      case 'struct':
        if (isObject(value)) this.structFields(value, definition(type.name)!);
        else this.typeError(jsonKind(value), goType);
        return;
      case 'list': {
        if (!Array.isArray(value)) return this.typeError(jsonKind(value), goType);
        const itemGoType = elementGoType(goType, type.items.ref);
        for (let i = 0; i < value.length; i++) {
          this.path.push(i);
          this.value(value[i], type.items, itemGoType);
          this.path.pop();
        }
        return;
      }
      case 'map': {
        if (!isObject(value)) return this.typeError(jsonKind(value), goType);
        const valueGoType = elementGoType(goType, type.values.ref);
        for (const key in value) {
          this.path.push(key);
          this.value(value[key], type.values, valueGoType);
          this.path.pop();
        }
        return;
      }
    }
  }

  private structFields(object: Record<string, unknown>, def: DefinitionInfo): void {
    const outerStruct = this.struct;
    for (const key in object) {
      const field = def.fieldsByName.get(key);
      if (!field) {
        this.unknownFields.push(strictPath(this.path, key));
        delete object[key]; // built-in types drop unknown fields
        continue;
      }
      this.path.push(key);
      // encoding/json's field path names the embedded structs an inline field comes from.
      this.fields.push(field.embeddedIn ? `${field.embeddedIn}.${key}` : key);
      this.struct = def.goName;
      this.value(object[key], field.type, field.goType);
      this.path.pop();
      this.fields.pop();
      this.struct = outerStruct;
    }
  }

  /** []byte: a base64 string (errors are base64's own), or an array of bytes. */
  private bytes(value: unknown, goType: string): void {
    if (typeof value === 'string') {
      const error = base64Error(value);
      if (error) this.savedErrors.push(error);
    } else if (Array.isArray(value)) {
      for (const item of value) if (item !== null && !isByte(item)) this.typeError(jsonKind(item, true), 'uint8');
    } else {
      this.typeError(jsonKind(value), goType);
    }
  }

  private typeError(valueKind: string, goType: string): void {
    this.savedErrors.push(this.typeErrorMessage(valueKind, goType));
  }

  /** encoding/json's UnmarshalTypeError text. */
  private typeErrorMessage(valueKind: string, goType: string): string {
    if (!this.struct && !this.fields.length) return `json: cannot unmarshal ${valueKind} into Go value of type ${goType}`;
    return `json: cannot unmarshal ${valueKind} into Go struct field ${this.struct}.${this.fields.join('.')} of type ${goType}`;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isInteger(value: unknown, bits: 32 | 64): boolean {
  if (typeof value !== 'number' || !Number.isInteger(value)) return false;
  return bits === 32 ? value >= -2147483648 && value <= 2147483647 : Math.abs(value) <= 9223372036854775807;
}

const isByte = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255;

/** How encoding/json names a JSON value in errors; integer targets quote the number literal. */
function jsonKind(value: unknown, numberLiteral = false): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return numberLiteral ? `number ${value}` : 'number';
  return Array.isArray(value) ? 'array' : 'object';
}

/** The strict-error path of a key under keys and list indexes: `spec.template.spec.containers[0].name`. */
function strictPath(segments: (string | number)[], key: string): string {
  let path = '';
  for (const segment of segments) path += typeof segment === 'number' ? `[${segment}]` : path ? `.${segment}` : segment;
  return path ? `${path}.${key}` : key;
}

// ---- resource.Quantity ----

const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";
const QUANTITY_SUFFIXES = new Set(['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);

/** The text Quantity's unmarshaller parses: a string's contents, or any other JSON value as written. */
function quantityText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** ParseQuantity's error for a text, or undefined when it parses. */
function quantityError(text: string): string | undefined {
  if (text === '') return QUANTITY_FORMAT_ERROR;
  const match = /^[+-]?[0-9]*(?:\.[0-9]*)?/.exec(text)!;
  let rest = text.slice(match[0].length);
  const suffixLetters = /^[eEinumkKMGTP]*/.exec(rest)![0];
  rest = rest.slice(suffixLetters.length).replace(/^[+-]/, '');
  if (!/^[0-9]*$/.test(rest)) return QUANTITY_FORMAT_ERROR;
  const suffix = text.slice(match[0].length);
  if (QUANTITY_SUFFIXES.has(suffix)) return undefined;
  // A decimal exponent: e or E followed by an integer.
  return /^[eE][+-]?[0-9]+$/.test(suffix) ? undefined : QUANTITY_SUFFIX_ERROR;
}

// ---- []byte: encoding/base64 StdEncoding's decoder errors ----

const BASE64_ALPHABET = /[A-Za-z0-9+/]/;

/**
 * base64.StdEncoding.Decode's CorruptInputError text, or undefined for valid input. Offsets are in bytes, but
 * everything before the first non-ASCII character is ASCII and that character is itself an error, so string
 * indexes are byte offsets for every error reported.
 */
function base64Error(text: string): string | undefined {
  const corrupt = (offset: number) => `illegal base64 data at input byte ${offset}`;
  const isNewline = (c: string) => c === '\n' || c === '\r';
  let i = 0;
  while (i < text.length) {
    // One quantum: up to four alphabet characters, newlines ignored.
    let count = 0;
    while (count < 4) {
      if (i === text.length) return count === 0 ? undefined : corrupt(i - count);
      const c = text[i++];
      if (BASE64_ALPHABET.test(c)) { count++; continue; }
      if (isNewline(c)) continue;
      if (c !== '=') return corrupt(i - 1);
      // Padding: only after two or three characters, "==" after two, then nothing but newlines.
      if (count < 2) return corrupt(i - 1);
      if (count === 2) {
        while (i < text.length && isNewline(text[i])) i++;
        if (i === text.length) return corrupt(text.length);
        if (text[i] !== '=') return corrupt(i - 1);
        i++;
      }
      while (i < text.length && isNewline(text[i])) i++;
      return i < text.length ? corrupt(i) : undefined;
    }
  }
  return undefined;
}

// ---- time.Parse and time.ParseDuration, as metav1.Time, MicroTime and Duration call them ----

/** Go's quoting in time errors: non-printable and non-ASCII bytes as \x.. escapes. */
function timeQuote(text: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(text)) {
    if (byte >= 0x80 || byte < 0x20) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += (byte === 0x22 || byte === 0x5c ? '\\' : '') + String.fromCharCode(byte);
  }
  return `${out}"`;
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';
const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

type TimeElement = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'micros' | 'zone';
/** The layouts split as time.Parse splits them: [literal prefix, element, element's layout text]. */
const TIME_LAYOUT: [string, TimeElement, string][] = [
  ['', 'year', '2006'], ['-', 'month', '01'], ['-', 'day', '02'], ['T', 'hour', '15'],
  [':', 'minute', '04'], [':', 'second', '05'],
];

const isDigitAt = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** time.Parse's getnum: one or two digits (exactly two when fixed). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigitAt(s, 0)) return undefined;
  if (!isDigitAt(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

/** time.Parse(RFC3339 or RFC3339Micro, text)'s error, or undefined when it parses. */
export function parseGoTime(text: string, micro: boolean): string | undefined {
  const layout = micro ? RFC3339_MICRO : RFC3339;
  const cannotParse = (valueElem: string, layoutElem: string) =>
    `parsing time ${timeQuote(text)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`;
  const failed = (message: string) => `parsing time ${timeQuote(text)}${message}`;
  const elements: [string, TimeElement, string][] = [...TIME_LAYOUT, ...(micro ? [['', 'micros', '.000000'] as [string, TimeElement, string]] : []), ['', 'zone', 'Z07:00']];
  let value = text;
  let year = 0;
  let month = 0;
  let day = 0;
  for (const [prefix, element, layoutElem] of elements) {
    if (!value.startsWith(prefix)) return cannotParse(value, prefix);
    value = value.slice(prefix.length);
    const hold = value;
    let range = '';
    let ok = true;
    switch (element) {
      case 'year':
        if (value.length < 4 || !/^[0-9]{4}/.test(value)) ok = false;
        else { year = Number(value.slice(0, 4)); value = value.slice(4); }
        break;
      case 'month': case 'day': case 'hour': case 'minute': case 'second': {
        const got = getnum(value, element !== 'hour');
        if (!got) { ok = false; break; }
        [, value] = got;
        const n = got[0];
        if (element === 'month') { month = n; if (n <= 0 || n > 12) range = 'month'; }
        if (element === 'day') day = n;
        if (element === 'hour' && n >= 24) range = 'hour';
        if (element === 'minute' && n >= 60) range = 'minute';
        if (element === 'second') {
          if (n >= 60) { range = 'second'; break; }
          // A fraction the layout does not spell out is accepted after the seconds (RFC3339 only).
          if (!micro && value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
            let end = 2;
            while (isDigitAt(value, end)) end++;
            value = value.slice(end);
          }
        }
        break;
      }
      case 'micros':
        if (value.length < 7 || (value[0] !== '.' && value[0] !== ',') || !/^[+-]?[0-9]+$/.test(value.slice(1, 7))) ok = false;
        else if (value[1] === '-') range = 'fractional second';
        else value = value.slice(7);
        break;
      case 'zone':
        if (value[0] === 'Z') { value = value.slice(1); break; }
        if (value.length < 6 || value[3] !== ':' || !/^[0-9]{2}$/.test(value.slice(1, 3)) || !/^[0-9]{2}$/.test(value.slice(4, 6))) { ok = false; break; }
        if (Number(value.slice(1, 3)) > 24) range = 'time zone offset hour';
        if (Number(value.slice(4, 6)) > 60) range = 'time zone offset minute';
        if (value[0] !== '+' && value[0] !== '-') { ok = false; break; }
        value = value.slice(6);
        break;
    }
    if (range) return failed(`: ${range} out of range`);
    if (!ok) return cannotParse(hold, layoutElem);
  }
  if (value) return failed(`: extra text: ${timeQuote(value)}`);
  const daysInMonth = new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return failed(': day out of range');
  return undefined;
}

const DURATION_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);
const durationError = (text: string) => `time: invalid duration ${timeQuote(text)}`;

/** time.ParseDuration's error, or undefined when it parses. */
export function parseGoDuration(text: string): string | undefined {
  let s = text.replace(/^[+-]/, '');
  if (s === '0') return undefined;
  if (s === '') return durationError(text);
  while (s) {
    const number = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    if (!number[1] && !number[3]) return durationError(text);
    s = s.slice(number[0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (!unit) return `time: missing unit in duration ${timeQuote(text)}`;
    if (!DURATION_UNITS.has(unit)) return `time: unknown unit ${timeQuote(unit)} in duration ${timeQuote(text)}`;
    s = s.slice(unit.length);
  }
  return undefined;
}

// ---- strict decoding: unknown and duplicate fields, from the JSON text ----

const NOT_PRINTABLE = new Set([0xad, 0x2028, 0x2029, 0xfeff]);

/** Go's strconv.Quote, for field paths in strict errors. */
function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code === 0x07) out += '\\a';
    else if (code === 0x08) out += '\\b';
    else if (code === 0x0c) out += '\\f';
    else if (code === 0x0a) out += '\\n';
    else if (code === 0x0d) out += '\\r';
    else if (code === 0x09) out += '\\t';
    else if (code === 0x0b) out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0x80 && code < 0xa0) || NOT_PRINTABLE.has(code)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

interface StrictFinding { kind: 'unknown' | 'duplicate'; path: string }

/** Limit of sigs.k8s.io/json's saved strict errors. */
const MAX_STRICT_ERRORS = 100;

/**
 * Paths of duplicated fields in a JSON text (`spec.replicas`), in document order. With a definition, only
 * what Go's typed decoder checks: known struct fields and map keys, not inside unknown fields or opaque values
 * (RawExtension...). Without one, every object (custom resources are decoded as plain JSON).
 */
export function findDuplicateFields(json: string, defName?: string): string[] {
  return [...new Set(scanStrict(json, defName).filter((f) => f.kind === 'duplicate').map((f) => f.path))];
}

/**
 * kube-apiserver's strict decoding errors for a JSON text, in its order: `unknown field "spec.foo"`,
 * `duplicate field "spec.replicas"` (deduplicated, at most 100). Kubernetes joins them after
 * "strict decoding error: " for fieldValidation=Strict, and sends each as a warning for Warn.
 */
export function strictFieldErrors(json: string, defName?: string): string[] {
  const messages = scanStrict(json, defName).map((f) => `${f.kind === 'unknown' ? 'unknown field' : 'duplicate field'} ${goQuote(f.path)}`);
  return [...new Set(messages)].slice(0, MAX_STRICT_ERRORS);
}

function scanStrict(json: string, defName?: string): StrictFinding[] {
  const scanner = new StrictScanner(json);
  const rootType: ValueType | 'any' = defName ? parseTypeRef(defName) : 'any';
  try {
    scanner.skipSpace();
    scanner.value(rootType);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // Invalid JSON is the parser's to report; keep what was found before it.
  }
  return scanner.findings;
}

const LITERAL = /true|false|null|-?[0-9][0-9.eE+-]*/y;
const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COLON, COMMA, QUOTE, BACKSLASH] = [...'{}[]:,"\\'].map((c) => c.charCodeAt(0));

/** A JSON scanner that follows the type table, so that it sees fields where Go's decoder sees them. */
class StrictScanner {
  findings: StrictFinding[] = [];
  private pos = 0;
  /** Keys and list indexes from the root, joined only for a finding. */
  private path: (string | number)[] = [];

  constructor(private readonly text: string) {}

  /** Scans one value; `type` undefined skips it, 'any' checks every object in it. */
  value(type: ValueType | 'any' | undefined): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === OPEN_BRACE) {
      if (type === 'any') return this.object(undefined, 'any');
      if (type?.kind === 'struct') return this.object(definition(type.name)!.fieldsByName, undefined);
      if (type?.kind === 'map') return this.object(undefined, type.values);
      return this.object(undefined, undefined);
    }
    if (c === OPEN_BRACKET) return this.array(type === 'any' ? 'any' : type?.kind === 'list' ? type.items : undefined);
    this.literal();
  }

  /**
   * Scans an object: a struct when `fields` is given (other keys are unknown fields), a map when `values`
   * is (every key is fine), else a value Go does not look into.
   */
  private object(fields: Map<string, FieldInfo> | undefined, values: ValueType | 'any' | undefined): void {
    this.pos++; // {
    const checked = fields !== undefined || values !== undefined;
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) { this.pos++; return; }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      this.skipSpace();
      this.expect(COLON);
      this.skipSpace();
      const type = fields ? fields.get(key)?.type : values;
      if (!checked) {
        this.value(undefined);
      } else if (type === undefined) {
        this.findings.push({ kind: 'unknown', path: this.pathTo(key) });
        this.value(undefined); // Go skips an unknown field's value unchecked
      } else {
        if (seen.has(key)) this.findings.push({ kind: 'duplicate', path: this.pathTo(key) });
        seen.add(key);
        this.path.push(key);
        this.value(type);
        this.path.pop();
      }
      this.skipSpace();
      const next = this.text.charCodeAt(this.pos++);
      if (next === CLOSE_BRACE) return;
      if (next !== COMMA) throw new SyntaxError('expected , or }');
    }
  }

  private array(items: ValueType | 'any' | undefined): void {
    this.pos++; // [
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) { this.pos++; return; }
    for (let i = 0; ; i++) {
      this.skipSpace();
      this.path.push(i);
      this.value(items);
      this.path.pop();
      this.skipSpace();
      const next = this.text.charCodeAt(this.pos++);
      if (next === CLOSE_BRACKET) return;
      if (next !== COMMA) throw new SyntaxError('expected , or ]');
    }
  }

  private pathTo(key: string): string {
    return strictPath(this.path, key);
  }

  private string(): string {
    if (this.text.charCodeAt(this.pos) !== QUOTE) throw new SyntaxError('expected a string');
    const start = this.pos + 1;
    let end = this.text.indexOf('"', start);
    while (end !== -1 && this.isEscaped(end)) end = this.text.indexOf('"', end + 1);
    if (end === -1) throw new SyntaxError('unterminated string');
    this.pos = end + 1;
    const raw = this.text.slice(start, end);
    return raw.includes('\\') ? JSON.parse(this.text.slice(start - 1, end + 1)) : raw;
  }

  /** Whether the quote at `index` is escaped: preceded by an odd number of backslashes. */
  private isEscaped(index: number): boolean {
    let backslashes = 0;
    while (this.text.charCodeAt(index - 1 - backslashes) === BACKSLASH) backslashes++;
    return backslashes % 2 === 1;
  }

  private literal(): void {
    if (this.text.charCodeAt(this.pos) === QUOTE) { this.string(); return; }
    LITERAL.lastIndex = this.pos;
    const match = LITERAL.exec(this.text);
    if (!match) throw new SyntaxError('unexpected character');
    this.pos += match[0].length;
  }

  private expect(char: number): void {
    if (this.text.charCodeAt(this.pos++) !== char) throw new SyntaxError(`expected ${String.fromCharCode(char)}`);
  }

  skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return;
    }
  }
}
