/** `value` to `digits` decimals, as figures are written to records and results. */
export function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
