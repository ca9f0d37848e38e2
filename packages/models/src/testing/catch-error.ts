/** What `run` throws, or `undefined` if it returns: for asserting on a domain error's data, not its message. */
export function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
