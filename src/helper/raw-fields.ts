// Typed fields of one raw record of the helper's, read at the edge: a missing or mistyped field is
// a FieldError naming the key and quoting the value.
export class FieldError extends Error {}

export type RawRecord = Record<string, unknown>;

export function requiredNumber(raw: RawRecord, key: string): number {
  const value = raw[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FieldError(`"${key}" must be a finite number, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function optionalNumber(raw: RawRecord, key: string): number | undefined {
  return raw[key] === undefined ? undefined : requiredNumber(raw, key);
}

export function requiredString(raw: RawRecord, key: string): string {
  const value = raw[key];
  if (typeof value !== 'string') {
    throw new FieldError(`"${key}" must be a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function optionalString(raw: RawRecord, key: string): string | undefined {
  return raw[key] === undefined ? undefined : requiredString(raw, key);
}

export function optionalBoolean(raw: RawRecord, key: string): boolean | undefined {
  const value = raw[key];
  if (value !== undefined && typeof value !== 'boolean') {
    throw new FieldError(`"${key}" must be a boolean, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function fraction(raw: RawRecord, key: string): number {
  const value = requiredNumber(raw, key);
  if (value < 0 || value > 1) throw new FieldError(`"${key}" must be between 0 and 1, got ${value}`);
  return value;
}

export function oneOf<T extends string>(raw: RawRecord, key: string, allowed: readonly T[]): T {
  const value = requiredString(raw, key);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new FieldError(`"${key}" must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

export function numberArray(raw: RawRecord, key: string): number[] {
  const value = raw[key];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'number' && Number.isFinite(item))) {
    throw new FieldError(`"${key}" must be an array of finite numbers, got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  return value as number[];
}
