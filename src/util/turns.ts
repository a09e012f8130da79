// Taking turns on the one thread: long loops of reconciler work give waiting requests their turn.

/** Runs `f` on a later turn of the event loop, after the I/O that is waiting (setImmediate where there is one). */
export const nextTurn: (f: () => void) => void = typeof setImmediate === 'function' ? f => { setImmediate(f); } : f => { setTimeout(f, 0); };

/**
 * A checkpoint for a CPU-bound loop: awaiting it yields to the event loop once the loop has held it for
 * `sliceMs` since the last yield, and costs nothing otherwise.
 */
export function turnTaker(sliceMs = 10): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < sliceMs) return undefined;
    return new Promise<void>(r => nextTurn(() => { since = performance.now(); r(); }));
  };
}
