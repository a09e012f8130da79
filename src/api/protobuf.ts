// Decodes Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf) into the JSON the Go
// server would produce for the same object. One generic decoder driven by the type table.
import protobuf from 'protobufjs/minimal.js';
import { badRequest } from './errors.ts';
import { definition, definitionForKind, type DefinitionInfo, type FieldInfo, type ValueType } from './schema/types.ts';

type Reader = protobuf.Reader;

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"
const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
/** Nesting limit, so that crafted input cannot exhaust the stack. */
const MAX_DEPTH = 100;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32', '6', '7'];

/**
 * Decodes `k8s\0` + runtime.Unknown{1: TypeMeta{1: apiVersion, 2: kind}, 2: raw object, 3: contentEncoding,
 * 4: contentType}. The object's message is the type named by kind in the group version of apiVersion.
 * Throws a 400 BadRequest StatusError on malformed input.
 */
export function decodeKubernetesProtobuf(bytes: Uint8Array): DecodedObject {
  try {
    return decodeEnvelope(bytes, 0);
  } catch (error) {
    throw badRequest(`failed to decode protobuf body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function decodeEnvelope(bytes: Uint8Array, depth: number): DecodedObject {
  if (bytes.length < MAGIC.length || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new Error('the data does not start with the "k8s\\x00" prefix');
  }
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  let contentType = '';
  forEachField(bytes.subarray(MAGIC.length), 'runtime.Unknown', (reader, number, wire) => {
    if (number === 1) {
      forEachField(readBytes(reader, wire, 'typeMeta'), 'runtime.TypeMeta', (inner, innerNumber, innerWire) => {
        if (innerNumber === 1) apiVersion = readString(inner, innerWire, 'apiVersion');
        else if (innerNumber === 2) kind = readString(inner, innerWire, 'kind');
        else return false;
        return true;
      });
    } else if (number === 2) raw = readBytes(reader, wire, 'raw');
    else if (number === 3) contentEncoding = readString(reader, wire, 'contentEncoding');
    else if (number === 4) contentType = readString(reader, wire, 'contentType');
    else return false;
    return true;
  });

  if (!kind) throw new Error('the object has no kind');
  if (contentEncoding) throw new Error(`unsupported content encoding "${contentEncoding}"`);
  if (contentType && contentType !== PROTOBUF_CONTENT_TYPE) throw new Error(`unsupported content type "${contentType}"`);
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const defName = definitionForKind(group, version, kind);
  if (!defName) throw new Error(`no kind "${kind}" is registered for version "${apiVersion}"`);
  // TypeMeta travels in the envelope, not in the object's own message.
  const object = decodeStruct(raw, definition(defName)!, depth + 1, { kind, apiVersion });
  return { apiVersion, kind, object };
}

/** Decodes a struct's message; keys come out in Go declaration order, as encoding/json writes them. */
function decodeStruct(bytes: Uint8Array, def: DefinitionInfo, depth: number, preset?: Record<string, unknown>): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new Error('the object is nested too deeply');
  const values = new Map<string, unknown>(preset ? Object.entries(preset) : []);
  readStructFields(bytes, def, values, depth);
  const object: Record<string, unknown> = {};
  for (const field of def.fields) if (values.has(field.name)) object[field.name] = values.get(field.name);
  for (const [name, value] of values) if (!(name in object)) object[name] = value;
  return object;
}

function readStructFields(bytes: Uint8Array, def: DefinitionInfo, values: Map<string, unknown>, depth: number): void {
  forEachField(bytes, def.goName, (reader, number, wire) => {
    const field = def.fieldsByNumber.get(number);
    if (field) {
      readField(reader, wire, field, def, values, depth);
      return true;
    }
    const embedded = def.embeddedByNumber.get(number);
    if (embedded) {
      // An inline embedded struct: protobuf nests it, JSON flattens its fields into this object.
      readStructFields(readBytes(reader, wire, `${def.goName} embedded field ${number}`), definition(embedded)!, values, depth + 1);
      return true;
    }
    return false; // unknown fields are skipped, as Go does
  });
}

function readField(reader: Reader, wire: number, field: FieldInfo, def: DefinitionInfo, values: Map<string, unknown>, depth: number): void {
  const where = `field "${field.name}" of ${def.goName}`;
  const type = field.type;
  if (type.kind === 'list' && !type.wrapped) {
    let list = values.get(field.name) as unknown[] | undefined;
    if (!list) values.set(field.name, (list = []));
    if (wire === WIRE_BYTES && isPackable(type.items)) {
      const packed = protobuf.Reader.create(reader.bytes());
      while (packed.pos < packed.len) list.push(readValue(packed, packedWire(type.items), type.items, where, depth));
    } else {
      list.push(readValue(reader, wire, type.items, where, depth) ?? null);
    }
    return;
  }
  if (type.kind === 'map') {
    let map = values.get(field.name) as Record<string, unknown> | undefined;
    if (!map) values.set(field.name, (map = {}));
    readMapEntry(readBytes(reader, wire, where), type.values, map, where, depth);
    return;
  }
  const value = readValue(reader, wire, type, where, depth);
  // Protobuf always carries non-pointer scalars; encoding/json leaves out their zero values when omitempty.
  if (value === undefined || (field.omitempty && !field.pointer && isOmittableZero(value, type))) values.delete(field.name);
  else values.set(field.name, value);
}

function readMapEntry(bytes: Uint8Array, valueType: ValueType, map: Record<string, unknown>, where: string, depth: number): void {
  let key = '';
  let value: unknown;
  forEachField(bytes, where, (reader, number, wire) => {
    if (number === 1) key = readString(reader, wire, `${where} map key`);
    else if (number === 2) value = readValue(reader, wire, valueType, `${where} map value`, depth);
    else return false;
    return true;
  });
  map[key] = value === undefined ? zeroValue(valueType) : value;
}

/** Reads one value of a type; undefined means "unset" (an empty Time, an empty RawExtension). */
function readValue(reader: Reader, wire: number, type: ValueType, where: string, depth: number): unknown {
  switch (type.kind) {
    case 'string': return readString(reader, wire, where);
    case 'bytes': return toBase64(readBytes(reader, wire, where));
    case 'int32': expectWire(wire, WIRE_VARINT, where); return reader.int32();
    case 'int64': expectWire(wire, WIRE_VARINT, where); return longToNumber(reader.int64());
    case 'bool': expectWire(wire, WIRE_VARINT, where); return reader.bool();
    case 'double': expectWire(wire, WIRE_FIXED64, where); return reader.double();
    case 'struct': return decodeStruct(readBytes(reader, wire, where), definition(type.name)!, depth + 1);
    case 'list': return decodeWrappedList(readBytes(reader, wire, where), type.items, where, depth + 1);
    case 'quantity': return decodeQuantity(readBytes(reader, wire, where));
    case 'int-or-string': return decodeIntOrString(readBytes(reader, wire, where));
    case 'time': return decodeTime(readBytes(reader, wire, where), false);
    case 'micro-time': return decodeTime(readBytes(reader, wire, where), true);
    case 'duration': return decodeDuration(readBytes(reader, wire, where));
    case 'raw': return decodeRaw(readBytes(reader, wire, where), depth + 1);
    case 'fields-v1': return decodeRaw(readBytes(reader, wire, where), depth + 1);
    case 'json': return parseJson(readBytes(reader, wire, where));
    case 'map': throw new Error(`unsupported nested map at ${where}`);
  }
}

/** `message { repeated T items = 1; }`, which is a plain array in JSON. */
function decodeWrappedList(bytes: Uint8Array, items: ValueType, where: string, depth: number): unknown[] {
  const list: unknown[] = [];
  forEachField(bytes, where, (reader, number, wire) => {
    if (number !== 1) return false;
    if (wire === WIRE_BYTES && isPackable(items)) {
      const packed = protobuf.Reader.create(reader.bytes());
      while (packed.pos < packed.len) list.push(readValue(packed, packedWire(items), items, where, depth));
    } else {
      list.push(readValue(reader, wire, items, where, depth));
    }
    return true;
  });
  return list;
}

/** resource.Quantity {1: string}. Go ignores unparsable strings and keeps the zero quantity, "0". */
function decodeQuantity(bytes: Uint8Array): string {
  let text = '';
  forEachField(bytes, 'resource.Quantity', (reader, number, wire) => {
    if (number !== 1) return false;
    text = readString(reader, wire, 'resource.Quantity');
    return true;
  });
  return text || '0';
}

/** intstr.IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal}. */
function decodeIntOrString(bytes: Uint8Array): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  forEachField(bytes, 'intstr.IntOrString', (reader, number, wire) => {
    if (number === 1) { expectWire(wire, WIRE_VARINT, 'intstr.IntOrString type'); type = longToNumber(reader.int64()); }
    else if (number === 2) { expectWire(wire, WIRE_VARINT, 'intstr.IntOrString intVal'); intVal = reader.int32(); }
    else if (number === 3) strVal = readString(reader, wire, 'intstr.IntOrString strVal');
    else return false;
    return true;
  });
  if (type === 0) return intVal;
  if (type === 1) return strVal;
  throw new Error(`invalid intstr.IntOrString type ${type}`);
}

/** metav1.Time / MicroTime {1: seconds, 2: nanos}; an empty message is the zero time, which JSON leaves out. */
function decodeTime(bytes: Uint8Array, micro: boolean): string | undefined {
  if (bytes.length === 0) return undefined;
  let seconds = 0;
  let nanos = 0;
  forEachField(bytes, 'metav1.Time', (reader, number, wire) => {
    if (number === 1) { expectWire(wire, WIRE_VARINT, 'metav1.Time seconds'); seconds = longToNumber(reader.int64()); }
    else if (number === 2) { expectWire(wire, WIRE_VARINT, 'metav1.Time nanos'); nanos = reader.int32(); }
    else return false;
    return true;
  });
  // metav1.Time drops the nanoseconds (its JSON has none); MicroTime keeps microseconds.
  return formatRfc3339(seconds, micro ? nanos : 0, micro);
}

/** metav1.Duration {1: nanoseconds} → Go's time.Duration.String(). */
function decodeDuration(bytes: Uint8Array): string {
  let nanoseconds = 0n;
  forEachField(bytes, 'metav1.Duration', (reader, number, wire) => {
    if (number !== 1) return false;
    expectWire(wire, WIRE_VARINT, 'metav1.Duration');
    nanoseconds = BigInt(String(reader.int64()));
    return true;
  });
  return formatGoDuration(nanoseconds);
}

/** runtime.RawExtension / metav1.FieldsV1 {1: raw}: JSON, or a nested protobuf object. */
function decodeRaw(bytes: Uint8Array, depth: number): unknown {
  let raw: Uint8Array = new Uint8Array(0);
  forEachField(bytes, 'runtime.RawExtension', (reader, number, wire) => {
    if (number !== 1) return false;
    raw = readBytes(reader, wire, 'runtime.RawExtension raw');
    return true;
  });
  if (raw.length === 0) return undefined;
  if (MAGIC.every((byte, i) => raw[i] === byte)) {
    if (depth > MAX_DEPTH) throw new Error('the object is nested too deeply');
    return decodeEnvelope(raw, depth).object;
  }
  return parseJson(raw);
}

// ---- wire-level helpers ----

/** Walks a message's fields; `visit` returns false for fields it does not know, which are skipped. */
function forEachField(bytes: Uint8Array, where: string, visit: (reader: Reader, number: number, wire: number) => boolean): void {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wire = tag & 7;
    if (number === 0) throw new Error(`invalid field number 0 in ${where}`);
    if (!visit(reader, number, wire)) reader.skipType(wire);
    if (reader.pos > reader.len) throw new Error(`unexpected end of ${where}`);
  }
}

function expectWire(actual: number, expected: number, where: string): void {
  if (actual !== expected) throw new Error(`wrong wire type ${WIRE_NAMES[actual]} for ${where}, expected ${WIRE_NAMES[expected]}`);
}

function readBytes(reader: Reader, wire: number, where: string): Uint8Array {
  expectWire(wire, WIRE_BYTES, where);
  return reader.bytes();
}

function readString(reader: Reader, wire: number, where: string): string {
  expectWire(wire, WIRE_BYTES, where);
  return reader.string();
}

const isPackable = (type: ValueType) => type.kind === 'int32' || type.kind === 'int64' || type.kind === 'bool' || type.kind === 'double';
const packedWire = (type: ValueType) => (type.kind === 'double' ? WIRE_FIXED64 : WIRE_VARINT);

/** int64 values come as long.js Longs (protobufjs's dependency); JSON wants numbers. */
function longToNumber(value: unknown): number {
  return typeof value === 'number' ? value : (value as { toNumber(): number }).toNumber();
}

function isOmittableZero(value: unknown, type: ValueType): boolean {
  switch (type.kind) {
    case 'string': case 'bytes': return value === '';
    case 'int32': case 'int64': case 'double': case 'int-or-string': return value === 0;
    case 'bool': return value === false;
    default: return false;
  }
}

function zeroValue(type: ValueType): unknown {
  switch (type.kind) {
    case 'string': case 'bytes': return '';
    case 'int32': case 'int64': case 'double': case 'int-or-string': return 0;
    case 'bool': return false;
    case 'quantity': return '0';
    case 'struct': case 'map': return {};
    case 'list': return [];
    default: return null;
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('embedded raw object is not valid JSON');
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// ---- Go's text forms of times and durations ----

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** time.RFC3339 ("2006-01-02T15:04:05Z") or RFC3339Micro ("2006-01-02T15:04:05.000000Z") in UTC. */
function formatRfc3339(seconds: number, nanos: number, micro: boolean): string {
  const normalized = seconds + Math.floor(nanos / 1e9);
  const fraction = ((nanos % 1e9) + 1e9) % 1e9;
  const date = new Date(normalized * 1000);
  if (Number.isNaN(date.getTime())) throw new Error(`time ${seconds} is out of range`);
  const year = date.getUTCFullYear();
  const text = `${year < 0 ? `-${pad(-year, 4)}` : pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`
    + `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  return micro ? `${text}.${pad(Math.floor(fraction / 1000), 6)}Z` : `${text}Z`;
}

/** time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function formatGoDuration(nanoseconds: bigint): string {
  const negative = nanoseconds < 0n;
  let u = negative ? -nanoseconds : nanoseconds;
  const decimal = (value: bigint, precision: number) => {
    const scale = 10n ** BigInt(precision);
    const fraction = precision ? (value % scale).toString().padStart(precision, '0').replace(/0+$/, '') : '';
    return `${value / scale}${fraction ? `.${fraction}` : ''}`;
  };
  let text: string;
  if (u === 0n) return '0s';
  if (u < 1_000_000_000n) {
    const [unit, precision] = u < 1_000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    text = `${decimal(u, precision as number)}${unit}`;
  } else {
    text = `${decimal(u % 60_000_000_000n, 9)}s`;
    u /= 60_000_000_000n; // whole minutes
    if (u > 0n) {
      text = `${u % 60n}m${text}`;
      u /= 60n; // whole hours
      if (u > 0n) text = `${u}h${text}`;
    }
  }
  return negative ? `-${text}` : text;
}
