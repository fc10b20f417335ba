import { fileURLToPath } from 'node:url';

/** Built by `make -C native` (the bootstrap step runs it). */
export const HELPER_BINARY = fileURLToPath(new URL('../../native/build/rtsp-helper', import.meta.url));
