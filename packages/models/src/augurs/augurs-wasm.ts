import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as etsModule from '@bsull/augurs/ets';
import * as mstlModule from '@bsull/augurs/mstl';

/**
 * The augurs WASM modules, instantiated synchronously on first use. The package's default initialiser fetches the
 * `.wasm` by URL, which Node's `fetch` cannot do for `file:` URLs, so the bytes are read from beside the JS glue
 * (the package's `exports` map hides the `.wasm` files, hence resolving the glue module and walking from it).
 */

const initialised = new Set<string>();

function initOnce(entry: string, wasmFile: string, init: (input: { module: Buffer }) => unknown): void {
  if (initialised.has(entry)) return;
  const glue = import.meta.resolve(entry);
  init({ module: readFileSync(fileURLToPath(new URL(wasmFile, glue))) });
  initialised.add(entry);
}

/** augurs' MSTL module, ready to use. */
export function loadMstl(): typeof mstlModule {
  initOnce('@bsull/augurs/mstl', 'mstl_bg.wasm', mstlModule.initSync);
  return mstlModule;
}

/** augurs' ETS module, ready to use. */
export function loadEts(): typeof etsModule {
  initOnce('@bsull/augurs/ets', 'ets_bg.wasm', etsModule.initSync);
  return etsModule;
}
