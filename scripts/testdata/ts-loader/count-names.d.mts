/** How many functions had their name defined since count-names.mjs was evaluated. */
export function defined(): number;
