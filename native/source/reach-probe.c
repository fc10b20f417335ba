#include "source/reach-probe.h"

#define PROBE_INTERVAL_S 1
#define PROBE_TIMEOUT_S 1

struct _ReachProbe
{
  gchar *uri;
  guint16 default_port;
  ReachBack back;
  gpointer user_data;
  GSocketClient *client;
  GSource *timer;
  GCancellable *cancellable;    /* of the try under way */
  gboolean failed;              /* a try failed since the start */
};

static guint16
default_port_of (const gchar * scheme)
{
  static const struct
  {
    const gchar *scheme;
    guint16 port;
  } ports[] = {
    {"rtsp", 554}, {"rtspt", 554}, {"rtsps", 322}, {"http", 80},
    {"https", 443},
  };

  for (guint i = 0; i < G_N_ELEMENTS (ports); i++) {
    if (g_ascii_strcasecmp (scheme, ports[i].scheme) == 0)
      return ports[i].port;
  }
  return 0;
}

ReachProbe *
reach_probe_new (const gchar * uri, ReachBack back, gpointer user_data)
{
  gchar *scheme = g_uri_parse_scheme (uri);
  guint16 port = scheme == NULL ? 0 : default_port_of (scheme);
  ReachProbe *probe;

  g_free (scheme);
  if (port == 0)
    return NULL;
  probe = g_new0 (ReachProbe, 1);
  probe->uri = g_strdup (uri);
  probe->default_port = port;
  probe->back = back;
  probe->user_data = user_data;
  probe->client = g_socket_client_new ();
  g_socket_client_set_timeout (probe->client, PROBE_TIMEOUT_S);
  return probe;
}

/* Main thread. `probe` is only touched when the try was not cancelled: a
 * stopped probe may be gone. */
static void
on_connected (GObject * client, GAsyncResult * result, gpointer user_data)
{
  GCancellable *cancellable = user_data;
  GSocketConnection *connection;
  GError *error = NULL;
  ReachProbe *probe;

  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT
      (client), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    goto done;
  probe = g_object_get_data (G_OBJECT (cancellable), "probe");
  g_clear_object (&probe->cancellable);
  if (connection == NULL) {
    probe->failed = TRUE;
  } else if (probe->failed) {
    probe->failed = FALSE;
    probe->back (probe->user_data);
  }
done:
  g_clear_error (&error);
  g_clear_object (&connection);
  g_object_unref (cancellable);
}

static gboolean
on_tick (gpointer user_data)
{
  ReachProbe *probe = user_data;

  if (probe->cancellable != NULL)
    return G_SOURCE_CONTINUE;
  probe->cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (probe->cancellable), "probe", probe);
  g_socket_client_connect_to_uri_async (probe->client, probe->uri,
      probe->default_port, probe->cancellable, on_connected,
      g_object_ref (probe->cancellable));
  return G_SOURCE_CONTINUE;
}

void
reach_probe_start (ReachProbe * probe)
{
  if (probe->timer != NULL)
    return;
  probe->failed = FALSE;
  probe->timer = g_timeout_source_new_seconds (PROBE_INTERVAL_S);
  g_source_set_callback (probe->timer, on_tick, probe, NULL);
  g_source_attach (probe->timer, NULL);
}

void
reach_probe_stop (ReachProbe * probe)
{
  if (probe->cancellable != NULL) {
    g_cancellable_cancel (probe->cancellable);
    g_clear_object (&probe->cancellable);
  }
  if (probe->timer != NULL) {
    g_source_destroy (probe->timer);
    g_clear_pointer (&probe->timer, g_source_unref);
  }
}

void
reach_probe_free (ReachProbe * probe)
{
  reach_probe_stop (probe);
  g_object_unref (probe->client);
  g_free (probe->uri);
  g_free (probe);
}
