// The line of a helper's stderr that says why it died: GLib's failed assertions and critical or
// error messages, and glibc's heap checks, which print one line each before they abort. Other
// lines (GStreamer's log, GLib warnings) are not evidence of a crash.
const FATAL = [
  // g_assert*(), g_assert_not_reached(): `GStreamer-RTSP-Server:ERROR:../gst/rtsp-server/rtsp-client.c:1169:get_data_seq: 'data_seq' should not be NULL`.
  /(?:^|:)ERROR:\S+:\d+:/,
  // g_critical() (g_return_if_fail's `assertion '…' failed`) and g_error(): `(rtsp-helper:123): GStreamer-CRITICAL **: …`, `** (rtsp-helper:123): ERROR **: …`.
  /\b(?:CRITICAL|ERROR) \*\*: /,
  // The same messages in GLib's TAP form.
  /^Bail out! /,
  // g_malloc() when memory runs out (a GLib-ERROR, also when its prefix is cut).
  /failed to allocate \d+ bytes/,
  // glibc: `free(): invalid pointer`, `double free or corruption (out)`, `corrupted size vs. prev_size`, `*** stack smashing detected ***: terminated`.
  /^(?:[a-z_]+\(\): |double free or corruption|corrupted |\*\*\* .+ \*\*\*)/,
];

export function isFatalMessage(line: string): boolean {
  return FATAL.some((pattern) => pattern.test(line));
}

/** The last fatal message among `lines` (a helper's stderr tail, oldest first), trimmed. */
export function lastFatalMessage(lines: readonly string[]): string | undefined {
  return lines.filter(isFatalMessage).at(-1)?.trim();
}
