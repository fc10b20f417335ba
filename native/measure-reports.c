#include "measure-reports.h"

#include "viewers.h"

/* H.264 over RTP always has a 90 kHz clock (RFC 6184). */
#define RTP_CLOCK_RATE 90000

/* The last receiver report seen from one viewer's SSRC. */
typedef struct
{
  guint seq, jitter, lsr, dlsr, fraction;
  gint lost;
  guint reports;
} ReportState;

struct _MeasureReports
{
  App *app;
  GHashTable *reports;          /* ssrc -> ReportState, main thread only */
};

MeasureReports *
measure_reports_new (App * app)
{
  MeasureReports *reports = g_new0 (MeasureReports, 1);

  reports->app = app;
  reports->reports = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  return reports;
}

void
measure_reports_free (MeasureReports * reports)
{
  g_hash_table_unref (reports->reports);
  g_free (reports);
}

/* "ADDRESS:PORT", as rtpsession formats `rtcp-from`. */
static gboolean
split_address (const gchar * from, gchar ** address, guint * port)
{
  const gchar *colon = strrchr (from, ':');
  guint64 value;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 1,
          G_MAXUINT16, &value, NULL))
    return FALSE;
  *address = g_strndup (from, colon - from);
  *port = (guint) value;
  return TRUE;
}

static void
emit_report (MeasureReports * reports, guint ssrc, const GstStructure * source,
    const ReportState * report, guint round_trip)
{
  Record *record = record_new ("rtcp");
  const gchar *from = gst_structure_get_string (source, "rtcp-from");
  gchar *address = NULL;
  const gchar *transport;
  guint port, client_id;

  record_add_int (record, "ssrc", ssrc);
  if (from != NULL && split_address (from, &address, &port)) {
    if (viewers_find_rtcp_sender (reports->app, address, port, &client_id,
            &transport)) {
      record_add_int (record, "client_id", client_id);
      record_add_string (record, "transport", transport);
    }
    record_add_string (record, "address", address);
  }
  /* 0 until the viewer has echoed one of our sender reports. */
  if (round_trip > 0)
    record_add_int (record, "rtt_us",
        gst_util_uint64_scale_round (round_trip, G_USEC_PER_SEC, 65536));
  record_add_int (record, "jitter_us",
      gst_util_uint64_scale_round (report->jitter, G_USEC_PER_SEC,
          RTP_CLOCK_RATE));
  record_add_double (record, "fraction_lost", report->fraction / 256.0);
  record_add_int (record, "packets_lost", report->lost);
  record_add_int (record, "highest_seq", report->seq);
  record_add_int (record, "reports", report->reports);
  record_emit (&reports->app->protocol, record);
  g_free (address);
}

/* rtpsession stores a receiver report's block on the source that sent it:
 * the viewer's. A report is new when any of its fields changed. */
static void
check_source (MeasureReports * reports, const GstStructure * source)
{
  gboolean internal = TRUE, have_rb = FALSE;
  ReportState now = { 0 }, *last;
  guint ssrc, round_trip = 0;

  if (!gst_structure_get_boolean (source, "internal", &internal) || internal
      || !gst_structure_get_boolean (source, "have-rb", &have_rb) || !have_rb
      || !gst_structure_get_uint (source, "ssrc", &ssrc)
      || !gst_structure_get (source,
          "rb-exthighestseq", G_TYPE_UINT, &now.seq,
          "rb-jitter", G_TYPE_UINT, &now.jitter,
          "rb-lsr", G_TYPE_UINT, &now.lsr,
          "rb-dlsr", G_TYPE_UINT, &now.dlsr,
          "rb-fractionlost", G_TYPE_UINT, &now.fraction,
          "rb-packetslost", G_TYPE_INT, &now.lost,
          "rb-round-trip", G_TYPE_UINT, &round_trip, NULL))
    return;

  last = g_hash_table_lookup (reports->reports, GUINT_TO_POINTER (ssrc));
  if (last == NULL) {
    last = g_new0 (ReportState, 1);
    g_hash_table_insert (reports->reports, GUINT_TO_POINTER (ssrc), last);
  } else if (last->seq == now.seq && last->jitter == now.jitter
      && last->lsr == now.lsr && last->dlsr == now.dlsr
      && last->fraction == now.fraction && last->lost == now.lost) {
    return;
  }
  now.reports = last->reports + 1;
  *last = now;
  emit_report (reports, ssrc, source, last, round_trip);
}

void
measure_reports_poll (MeasureReports * reports, GObject * session)
{
  GstStructure *stats = NULL;
  const GValue *sources;

  g_object_get (session, "stats", &stats, NULL);
  if (stats == NULL)
    return;
  sources = gst_structure_get_value (stats, "source-stats");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
  if (sources != NULL && G_VALUE_HOLDS (sources, g_value_array_get_type ())) {
    GValueArray *array = g_value_get_boxed (sources);
    guint i;

    for (i = 0; array != NULL && i < array->n_values; i++)
      check_source (reports, gst_value_get_structure (&array->values[i]));
  }
  G_GNUC_END_IGNORE_DEPRECATIONS;
  gst_structure_free (stats);
}
