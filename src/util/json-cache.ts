// JSON text of frozen objects, computed once: the store's cached objects are frozen and never change,
// so the text of, say, an object's metadata can be reused by every response that carries it.
const texts = new WeakMap<object, string>();

export function frozenJson(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) texts.set(value, text = JSON.stringify(value));
  return text;
}
