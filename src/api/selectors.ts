// Label selectors (equality- and set-based) and field selectors, as list/watch/deletecollection accept them.
import { badRequest } from './errors.ts';

export type LabelOp = 'in' | 'notin' | 'exists' | '!';
export interface LabelRequirement { key: string; op: LabelOp; values: string[] }

export interface FieldRequirement { field: string; negate: boolean; value: string }

export interface Selector<T> { requirements: T[]; matches(object: any): boolean }

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k`. */
export function parseLabelSelector(text: string | undefined): Selector<LabelRequirement> {
  const requirements: LabelRequirement[] = [];
  const s = (text ?? '').trim();
  let i = 0;
  const fail = (why: string): never => { throw badRequest(`unable to parse requirement: ${why}`); };
  const skipSpace = () => { while (s[i] === ' ') i++; };
  const word = () => {
    skipSpace();
    const start = i;
    while (i < s.length && !' ,=!()'.includes(s[i])) i++;
    return s.slice(start, i);
  };
  const checkKey = (key: string) => {
    if (!LABEL_KEY.test(key) || key.split('/').pop()!.length > 63) fail(`invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  };
  const checkValue = (v: string) => {
    if (v.length > 63 || !LABEL_VALUE.test(v)) fail(`invalid label value: "${v}": at key: must be no more than 63 characters and consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`);
  };
  while (i < s.length) {
    skipSpace();
    if (s[i] === '!') {
      i++;
      const key = word();
      checkKey(key);
      requirements.push({ key, op: '!', values: [] });
    } else {
      const key = word();
      if (!key) fail(`found '${s[i] ?? ''}', expected: identifier`);
      checkKey(key);
      skipSpace();
      if (s.startsWith('==', i) || s[i] === '=') {
        i += s.startsWith('==', i) ? 2 : 1;
        const v = word(); checkValue(v);
        requirements.push({ key, op: 'in', values: [v] });
      } else if (s.startsWith('!=', i)) {
        i += 2;
        const v = word(); checkValue(v);
        requirements.push({ key, op: 'notin', values: [v] });
      } else if (s.startsWith('in', i) || s.startsWith('notin', i)) {
        const op = s.startsWith('in', i) ? 'in' : 'notin';
        i += op.length;
        skipSpace();
        if (s[i] !== '(') fail(`found '${s[i] ?? ''}', expected: '('`);
        i++;
        const values: string[] = [];
        for (;;) {
          const v = word(); checkValue(v);
          values.push(v);
          skipSpace();
          if (s[i] === ',') { i++; continue; }
          if (s[i] === ')') { i++; break; }
          fail(`found '${s[i] ?? ''}', expected: ',', or ')'`);
        }
        requirements.push({ key, op, values });
      } else {
        requirements.push({ key, op: 'exists', values: [] });
      }
    }
    skipSpace();
    if (i < s.length) {
      if (s[i] !== ',') fail(`found '${s[i]}', expected: ',' or 'end of string'`);
      i++;
    }
  }
  return {
    requirements,
    matches(object) {
      const labels: Record<string, string> = object?.metadata?.labels ?? {};
      return requirements.every(r => {
        const has = Object.prototype.hasOwnProperty.call(labels, r.key);
        switch (r.op) {
          case 'in': return has && r.values.includes(labels[r.key]);
          case 'notin': return !has || !r.values.includes(labels[r.key]);
          case 'exists': return has;
          case '!': return !has;
        }
      });
    },
  };
}

/** The requirement the store can answer from its label index, if any. */
export function indexableLabel(selector: Selector<LabelRequirement>): { key: string; values: string[] } | undefined {
  const r = selector.requirements.find(q => q.op === 'in');
  return r && { key: r.key, values: r.values };
}

/** Parses `metadata.name=x,status.phase!=Running`; `fieldOf` extracts a supported field or returns undefined. */
export function parseFieldSelector(
  text: string | undefined,
  fieldOf: (object: any, field: string) => string | undefined,
  supported: (field: string) => boolean,
): Selector<FieldRequirement> {
  const requirements: FieldRequirement[] = [];
  for (const term of splitUnescaped(text ?? '', ',')) {
    if (!term.trim()) continue;
    const m = /^(.*?)(==|!=|=)(.*)$/s.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = m[1].trim();
    if (!supported(field)) throw badRequest(`field label not supported: ${field}`);
    requirements.push({ field, negate: m[2] === '!=', value: unescape(m[3].trim()) });
  }
  return {
    requirements,
    matches: object => requirements.every(r => (fieldOf(object, r.field) === r.value) !== r.negate),
  };
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) { cur += s[i] + s[i + 1]; i++; continue; }
    if (s[i] === sep) { out.push(cur); cur = ''; continue; }
    cur += s[i];
  }
  out.push(cur);
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

export const everything: Selector<never> = { requirements: [], matches: () => true };
