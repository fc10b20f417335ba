// A Digest Authorization header as FFmpeg and GStreamer send it (RFC 2069, no qop).
import { AUTH_REALM, digestResponse } from '../../src/front-door/digest.ts';

export interface DigestFields {
  user: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  /** The nonce's hex, and the response's, in upper case (the response is over the nonce as sent). */
  upperCase?: boolean;
}

export function digestHeader({ user, password, method, uri, nonce, upperCase = false }: DigestFields): string {
  const hex = (text: string) => (upperCase ? text.toUpperCase() : text);
  const sent = hex(nonce);
  const response = hex(digestResponse(user, AUTH_REALM, password, method, uri, sent));
  return `Authorization: Digest username="${user}", realm="${AUTH_REALM}", nonce="${sent}", uri="${uri}", response="${response}"`;
}
