// Checks a CronJob schedule the way Kubernetes' cron parser (standard 5 fields plus descriptors)
// does, returning its error text so validation can quote it.

interface Bounds { min: number; max: number; names?: Record<string, number> }

const names = (list: string[], first: number) => Object.fromEntries(list.map((n, i) => [n, first + i]));
const FIELDS: Bounds[] = [
  { min: 0, max: 59 }, // minute
  { min: 0, max: 23 }, // hour
  { min: 1, max: 31 }, // day of month
  { min: 1, max: 12, names: names(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], 1) },
  { min: 0, max: 6, names: names(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 0) }, // day of week
];
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/;

class CronError extends Error {}

/** strconv.Atoi plus the parser's own checks. */
function parseInt10(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new CronError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

const parseIntOrName = (expr: string, b: Bounds) => b.names?.[expr.toLowerCase()] ?? parseInt10(expr);

function checkRange(expr: string, b: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number, end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min; end = b.max;
  } else {
    start = parseIntOrName(lowAndHigh[0], b);
    if (lowAndHigh.length > 2) throw new CronError(`too many hyphens: ${expr}`);
    end = lowAndHigh.length === 2 ? parseIntOrName(lowAndHigh[1], b) : start;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseInt10(rangeAndStep[1]);
    if (lowAndHigh.length === 1) end = b.max; // "N/step" means "N-max/step"
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < b.min) throw new CronError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
}

/** The parser's error message for a bad schedule, or undefined when it parses. */
export function cronScheduleError(schedule: string): string | undefined {
  let spec = schedule;
  if (spec === '') return 'empty spec string';
  try {
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const space = spec.indexOf(' ');
      const zone = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
      if (!knownTimeZone(zone)) return `provided bad location ${zone}: unknown time zone ${zone}`;
      spec = space < 0 ? '' : spec.slice(space).trim();
    }
    if (spec.startsWith('@')) {
      if (DESCRIPTORS.has(spec)) return undefined;
      if (spec.startsWith('@every ')) {
        const duration = spec.slice('@every '.length);
        return GO_DURATION.test(duration) ? undefined : `failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(duration)}`;
      }
      return `unrecognized descriptor: ${spec}`;
    }
    const fields = spec.split(/\s+/).filter(Boolean);
    if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
    fields.forEach((f, i) => f.split(',').forEach(expr => checkRange(expr, FIELDS[i])));
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}

/** Whether the runtime knows an IANA time zone name (Intl is in Node and Workers alike). */
export function knownTimeZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
