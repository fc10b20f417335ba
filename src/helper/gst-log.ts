// GStreamer's debug log (GST_DEBUG, on the helper's stderr) parsed into typed entries. Lines
// that are not in the log format (GLib warnings, crash output) become `other` entries, kept
// verbatim: they matter most when something goes wrong.
export type GstLogLevel = 'ERROR' | 'WARNING' | 'FIXME' | 'INFO' | 'DEBUG' | 'LOG' | 'TRACE' | 'MEMDUMP';

export type GstLogEntry =
  | { kind: 'gst'; level: GstLogLevel; category: string; source: string; message: string }
  | { kind: 'other'; text: string };

const LEVELS: readonly string[] = ['ERROR', 'WARN', 'FIXME', 'INFO', 'DEBUG', 'LOG', 'TRACE', 'MEMDUMP'];

// 0:00:00.012345678 12345 0x55d5c8a0 WARN  category file.c:12:function:<object> message
const LINE = /^\d+:\d\d:\d\d\.\d+\s+\d+\s+0x[0-9a-f]+\s+([A-Z]+)\s+(\S+)\s+(\S+?:\d+:[^:\s]*:(?:<[^>]*>)?)\s?(.*)$/;

export function parseGstLogLine(line: string): GstLogEntry {
  const match = LINE.exec(line);
  if (!match || !LEVELS.includes(match[1]!)) return { kind: 'other', text: line };
  const level = (match[1] === 'WARN' ? 'WARNING' : match[1]) as GstLogLevel;
  return { kind: 'gst', level, category: match[2]!, source: match[3]!, message: match[4]!.trim() };
}
