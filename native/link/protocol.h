/* JSON Lines records on stdout, see docs/protocol.md. */
#ifndef RTSP_HELPER_PROTOCOL_H
#define RTSP_HELPER_PROTOCOL_H

#include <glib.h>

#define PROTOCOL_VERSION 4

/* What `bitrate` takes, and --bitrate: x264enc's own limits. */
#define PROTOCOL_MIN_BITRATE_KBPS 1
#define PROTOCOL_MAX_BITRATE_KBPS 2048000

typedef struct _Record Record;

/* Serialises writes of whole lines to one file descriptor. Lives in
 * zero-initialised static storage, for the whole process: records may come
 * from any thread, even while the process exits. */
typedef struct
{
  GMutex lock;
  gint fd;
  gboolean bye_written;
  GString *pending;             /* batched records not yet written */
} Protocol;

void protocol_init (Protocol * protocol, gint fd);

/* Records may be built and emitted from any thread. */
Record *record_new (const gchar * type);
void record_add_string (Record * record, const gchar * key,
    const gchar * value);
void record_add_int (Record * record, const gchar * key, gint64 value);
void record_add_double (Record * record, const gchar * key, gdouble value);
void record_add_boolean (Record * record, const gchar * key, gboolean value);
void record_add_int_array (Record * record, const gchar * key,
    const gint64 * values, guint count);
/* Writes the record as one line and frees it. After a `bye` record every
 * later record is dropped, so `bye` stays the last one. */
void record_emit (Protocol * protocol, Record * record);

/* The record as one JSON object, without a newline; frees the record. */
gchar *record_free_to_json (Record * record);

/* Queues a high-rate record (one per frame) for the next write: batching
 * cuts the supervisor's wake-ups and reads several-fold. Order is kept: any
 * record_emit() or protocol_flush() writes the queue first. */
void record_emit_batched (Protocol * protocol, Record * record);
void protocol_flush (Protocol * protocol);

void protocol_emit_error (Protocol * protocol, const gchar * code,
    const gchar * message, const gchar * command);

#endif /* RTSP_HELPER_PROTOCOL_H */
