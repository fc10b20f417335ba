export const EXIT_OK = 0;
/** The server could not run: no playable video, a port taken, a helper binary missing. */
export const EXIT_FAILURE = 1;
/** The command line was wrong. */
export const EXIT_USAGE = 2;
