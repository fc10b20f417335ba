#include "feedback/rtcp-gate.h"

#include <gst/net/net.h>


#define SUMMARY_INTERVAL_S 1

struct _RtcpGate
{
  gint ref_count;
  Protocol *protocol;
  Viewers *viewers;
  gchar *mount;
  guint encoder;
  GstPad *pad;
  gulong probe;
  guint summary_timeout;

  GMutex lock;                  /* streaming threads count, the main thread
                                 * sums up */
  guint64 strangers, over_rate;
  gchar *last_stranger;
};

static RtcpGate *
gate_ref (RtcpGate * gate)
{
  g_atomic_int_inc (&gate->ref_count);
  return gate;
}

static void
gate_unref (gpointer data)
{
  RtcpGate *gate = data;

  if (!g_atomic_int_dec_and_test (&gate->ref_count))
    return;
  gst_object_unref (gate->pad);
  g_free (gate->mount);
  g_free (gate->last_stranger);
  g_mutex_clear (&gate->lock);
  g_free (gate);
}

/* The sender's address and port, from the meta udpsrc (UDP) or
 * gst-rtsp-server (TCP interleaved) put on the buffer. */
static gchar *
sender_of (GstBuffer * buffer, guint * port)
{
  GstNetAddressMeta *meta = gst_buffer_get_net_address_meta (buffer);
  GInetSocketAddress *from;

  if (meta == NULL || !G_IS_INET_SOCKET_ADDRESS (meta->addr))
    return NULL;
  from = G_INET_SOCKET_ADDRESS (meta->addr);
  *port = g_inet_socket_address_get_port (from);
  return g_inet_address_to_string (g_inet_socket_address_get_address (from));
}

static gboolean
admit (RtcpGate * gate, GstBuffer * buffer)
{
  guint port = 0;
  gchar *address = sender_of (buffer, &port);
  Viewer *viewer = address == NULL ? NULL :
      viewers_find_rtcp_sender (gate->viewers, address, port);
  gboolean taken = viewer != NULL && viewer_take_rtcp (viewer,
      gst_buffer_get_size (buffer), g_get_monotonic_time ())
      == VIEWER_RTCP_TAKEN;

  if (!taken) {
    g_mutex_lock (&gate->lock);
    if (viewer != NULL) {
      gate->over_rate++;
    } else {
      gate->strangers++;
      if (address != NULL) {
        g_free (gate->last_stranger);
        gate->last_stranger = g_steal_pointer (&address);
      }
    }
    g_mutex_unlock (&gate->lock);
  }
  g_clear_object (&viewer);
  g_free (address);
  return taken;
}

static gboolean
keep_admitted (GstBuffer ** buffer, guint index G_GNUC_UNUSED,
    gpointer user_data)
{
  if (!admit (user_data, *buffer))
    gst_clear_buffer (buffer);
  return TRUE;
}

/* A streaming thread: udpsrc's (UDP), the stream's RTCP appsrc's (TCP). */
static GstPadProbeReturn
on_rtcp (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info, gpointer user_data)
{
  RtcpGate *gate = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list =
        gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));

    GST_PAD_PROBE_INFO_DATA (info) = list;
    gst_buffer_list_foreach (list, keep_admitted, gate);
    return gst_buffer_list_length (list) > 0 ? GST_PAD_PROBE_OK :
        GST_PAD_PROBE_DROP;
  }
  return admit (gate, GST_PAD_PROBE_INFO_BUFFER (info)) ? GST_PAD_PROBE_OK :
      GST_PAD_PROBE_DROP;
}

static gboolean
on_summary (gpointer user_data)
{
  RtcpGate *gate = user_data;
  guint64 strangers, over_rate;
  gchar *last_stranger;
  Record *record;

  g_mutex_lock (&gate->lock);
  strangers = gate->strangers;
  over_rate = gate->over_rate;
  last_stranger = g_steal_pointer (&gate->last_stranger);
  gate->strangers = gate->over_rate = 0;
  g_mutex_unlock (&gate->lock);

  if (strangers > 0 || over_rate > 0) {
    record = record_new ("feedback_refused");
    record_add_int (record, "t_us", g_get_monotonic_time ());
    record_add_string (record, "mount", gate->mount);
    record_add_int (record, "encoder", gate->encoder);
    record_add_int (record, "stranger_packets", strangers);
    record_add_int (record, "over_rate_packets", over_rate);
    if (last_stranger != NULL)
      record_add_string (record, "stranger_address", last_stranger);
    record_emit (gate->protocol, record);
  }
  g_free (last_stranger);
  return G_SOURCE_CONTINUE;
}

/* rtpbin sits beside the media's element in its pipeline. */
static GstElement *
rtpbin_of (GstRTSPMedia * media)
{
  GstElement *element = gst_rtsp_media_get_element (media);
  GstObject *pipeline = gst_object_get_parent (GST_OBJECT (element));
  GstElement *rtpbin = NULL;
  GstIterator *children;
  GValue child = G_VALUE_INIT;

  gst_object_unref (element);
  if (pipeline == NULL)
    return NULL;
  children = gst_bin_iterate_elements (GST_BIN (pipeline));
  while (rtpbin == NULL
      && gst_iterator_next (children, &child) == GST_ITERATOR_OK) {
    GstElement *candidate = g_value_get_object (&child);

    if (g_str_equal (G_OBJECT_TYPE_NAME (candidate), "GstRtpBin"))
      rtpbin = gst_object_ref (candidate);
    g_value_reset (&child);
  }
  g_value_unset (&child);
  gst_iterator_free (children);
  gst_object_unref (pipeline);
  return rtpbin;
}

RtcpGate *
rtcp_gate_start (Protocol * protocol, Viewers * viewers, GstRTSPMedia * media,
    const gchar * mount, guint encoder)
{
  GstElement *rtpbin = rtpbin_of (media);
  GstPad *pad = rtpbin == NULL ? NULL :
      gst_element_get_static_pad (rtpbin, "recv_rtcp_sink_0");
  RtcpGate *gate;

  g_clear_object (&rtpbin);
  if (pad == NULL)
    goto no_pad;

  gate = g_new0 (RtcpGate, 1);
  gate->ref_count = 1;
  gate->protocol = protocol;
  gate->viewers = viewers;
  gate->mount = g_strdup (mount);
  gate->encoder = encoder;
  gate->pad = pad;
  g_mutex_init (&gate->lock);
  gate->probe = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, on_rtcp, gate_ref (gate), gate_unref);
  gate->summary_timeout = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT,
      SUMMARY_INTERVAL_S, on_summary, gate_ref (gate), gate_unref);
  return gate;

  /* ERRORS */
no_pad:
  {
    gchar *message = g_strdup_printf ("%s: encoder %u: the media has no RTCP "
        "input (rtpbin's recv_rtcp_sink_0); its RTCP is not checked", mount,
        encoder);

    protocol_emit_error (protocol, "pipeline", message, NULL);
    g_free (message);
    return NULL;
  }
}

void
rtcp_gate_stop (RtcpGate * gate)
{
  gst_pad_remove_probe (gate->pad, gate->probe);
  g_source_remove (gate->summary_timeout);
  on_summary (gate);
  gate_unref (gate);
}
