/** `value` to `digits` decimals, as figures are written to records and results. */
export function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

/** `round`, passing an absent figure through as absent. */
export function roundOptional(value: number | undefined, digits: number): number | undefined {
  return value === undefined ? undefined : round(value, digits);
}
