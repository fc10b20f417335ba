#include "main/options.h"


#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_BITRATE_KBPS 5000
#define DEFAULT_WIDTH 640
#define DEFAULT_HEIGHT 480
#define DEFAULT_FPS 0
#define DEFAULT_LINGER_S 10
#define DEFAULT_CLEANUP_INTERVAL 2
#define DEFAULT_SESSION_TIMEOUT 60
#define DEFAULT_MAX_VIEWERS 20
#define DEFAULT_MAX_VIEWERS_PER_ADDRESS 10
#define DEFAULT_IDLE_TIMEOUT 30
#define DEFAULT_MAX_CONNECTIONS 256
#define DEFAULT_WEBRTC_CONNECT_TIMEOUT_S 30
#define DEFAULT_ENCODER_PRESET "superfast"

#define MAX_SIZE 8192
#define MAX_FPS 240
#define MAX_CLEANUP_INTERVAL 3600
#define MAX_SESSION_TIMEOUT 3600
#define MAX_VIEWERS 10000
#define MAX_IDLE_TIMEOUT 3600
#define MAX_CONNECTIONS 10000

/* *INDENT-OFF* */
static void emit_usage_error (Protocol * protocol, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
/* *INDENT-ON* */

static void
emit_usage_error (Protocol * protocol, const gchar * format, ...)
{
  va_list args;
  gchar *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  protocol_emit_error (protocol, "usage", message, NULL);
  g_free (message);
}

static gboolean
check_range (Protocol * protocol, const gchar * option, gint value, gint min,
    gint max)
{
  if (value >= min && value <= max)
    return TRUE;
  emit_usage_error (protocol, "--%s must be between %d and %d, not %d", option,
      min, max, value);
  return FALSE;
}

static gboolean
check_even (Protocol * protocol, const gchar * option, gint value)
{
  /* x264 encodes 4:2:0 only in whole chroma samples. */
  if (value % 2 == 0)
    return TRUE;
  emit_usage_error (protocol, "--%s must be even, not %d", option, value);
  return FALSE;
}

static gboolean
parse_transport_policy (HelperConfig * config, Protocol * protocol,
    const gchar * value)
{
  static const gchar *const names[] = {
    [TRANSPORT_POLICY_UDP] = "udp",
    [TRANSPORT_POLICY_TCP] = "tcp",
    [TRANSPORT_POLICY_AUTO] = "auto",
  };

  if (value == NULL)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
    if (g_strcmp0 (value, names[i]) == 0) {
      config->transport_policy = (TransportPolicy) i;
      return TRUE;
    }
  }
  emit_usage_error (protocol, "--transport-policy must be udp, tcp or auto, "
      "not '%s'", value);
  return FALSE;
}

static gboolean
parse_audio (HelperConfig * config, Protocol * protocol, const gchar * value)
{
  if (value == NULL || audio_codec_from_name (value, &config->audio))
    return TRUE;
  emit_usage_error (protocol, "--audio must be none, aac, opus, pcmu or pcma, "
      "not '%s'", value);
  return FALSE;
}

/* The x264 speed presets npm run bench:encoder measured (docs/encoder.md);
 * media-launch.c pairs each with its profile. */
static gboolean
check_encoder_preset (HelperConfig * config, Protocol * protocol)
{
  static const gchar *const names[] = { "ultrafast", "superfast", "veryfast",
    NULL
  };
  if (config->encoder_preset == NULL)
    config->encoder_preset = g_strdup (DEFAULT_ENCODER_PRESET);
  if (g_strv_contains (names, config->encoder_preset))
    return TRUE;
  emit_usage_error (protocol,
      "--encoder-preset must be ultrafast, superfast or veryfast, not '%s'",
      config->encoder_preset);
  return FALSE;
}

/* "MIN-MAX", two UDP ports, MIN ≤ MAX; NULL: any port. */
static gboolean
parse_webrtc_ports (HelperConfig * config, Protocol * protocol,
    const gchar * text)
{
  guint64 min_port, max_port;
  gchar **parts;
  gboolean ok;

  if (text == NULL)
    return TRUE;
  parts = g_strsplit (text, "-", 3);
  ok = g_strv_length (parts) == 2
      && g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT16, &min_port,
      NULL)
      && g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT16, &max_port,
      NULL) && min_port <= max_port;
  g_strfreev (parts);
  if (!ok) {
    emit_usage_error (protocol, "--webrtc-ports must be MIN-MAX, two UDP "
        "ports with MIN <= MAX, not '%s'", text);
    return FALSE;
  }
  config->webrtc_min_port = (guint) min_port;
  config->webrtc_max_port = (guint) max_port;
  return TRUE;
}

/* webrtcbin's forms: stun://host:port, turn(s)://user:password@host:port. */
static gboolean
check_ice_servers (HelperConfig * config, Protocol * protocol)
{
  for (guint i = 0; config->ice_servers != NULL
      && config->ice_servers[i] != NULL; i++) {
    const gchar *server = config->ice_servers[i];

    if ((g_str_has_prefix (server, "stun://")
            || g_str_has_prefix (server, "turn://")
            || g_str_has_prefix (server, "turns://"))
        && gst_uri_is_valid (server))
      continue;
    /* Not the URI: it may hold a password. */
    emit_usage_error (protocol, "%s: ICE server %u is not stun://HOST:PORT "
        "or turn(s)://USER:PASSWORD@HOST:PORT", ICE_SERVERS_ENV, i + 1);
    return FALSE;
  }
  return TRUE;
}

gboolean
options_parse (HelperConfig * config, Protocol * protocol, gint * argc,
    gchar *** argv)
{
  gchar *transport_policy = NULL;
  gchar *audio = NULL;
  gchar *webrtc_ports = NULL;
  gboolean live = FALSE;
  gboolean ok;
  /* *INDENT-OFF* */
  GOptionEntry entries[] = {
    {"file", 'f', 0, G_OPTION_ARG_FILENAME, &config->file,
        "Video file to serve (this or --live)", "PATH"},
    {"live", 0, 0, G_OPTION_ARG_NONE, &live,
          "Serve the live source whose URI is in " URI_ENV " (rtsp://, "
          "srt://, http(s)://, udp://: anything uridecodebin plays)", NULL},
    {"linger", 0, 0, G_OPTION_ARG_INT, &config->linger_s,
          "Seconds a live source stays pulled after its last viewer left "
          "(default: " G_STRINGIFY (DEFAULT_LINGER_S) ")", "S"},
    {"always-on", 0, 0, G_OPTION_ARG_NONE, &config->always_on,
        "Pull the live source from the start, watched or not", NULL},
    {"mount", 'm', 0, G_OPTION_ARG_STRING, &config->mount,
        "Mount path, starting with / (required)", "/video1"},
    {"port", 'p', 0, G_OPTION_ARG_INT, &config->port,
        "TCP port for RTSP (required)", "PORT"},
    {"host", 0, 0, G_OPTION_ARG_STRING, &config->host,
        "Bind address (default: " DEFAULT_HOST ")", "ADDRESS"},
    {"bitrate", 'b', 0, G_OPTION_ARG_INT, &config->bitrate_kbps,
          "Initial encoder bitrate in kbit/s (default: "
          G_STRINGIFY (DEFAULT_BITRATE_KBPS) ")", "KBPS"},
    {"width", 0, 0, G_OPTION_ARG_INT, &config->width,
        "Output width (default: " G_STRINGIFY (DEFAULT_WIDTH) ")", "W"},
    {"height", 0, 0, G_OPTION_ARG_INT, &config->height,
        "Output height (default: " G_STRINGIFY (DEFAULT_HEIGHT) ")", "H"},
    {"fps", 0, 0, G_OPTION_ARG_INT, &config->fps,
          "Output frame rate, 0 keeps the file's (default: "
          G_STRINGIFY (DEFAULT_FPS) ")", "FPS"},
    {"cleanup-interval", 0, 0, G_OPTION_ARG_INT, &config->cleanup_interval,
          "Seconds between session-pool cleanups (default: "
          G_STRINGIFY (DEFAULT_CLEANUP_INTERVAL) ")", "SECONDS"},
    {"session-timeout", 0, 0, G_OPTION_ARG_INT, &config->session_timeout,
          "Seconds a viewer may stay silent before its session is reaped "
          "(default: " G_STRINGIFY (DEFAULT_SESSION_TIMEOUT) ")", "SECONDS"},
    {"max-viewers", 0, 0, G_OPTION_ARG_INT, &config->max_viewers,
          "Sessions at once per mount; more are refused with 453 (default: "
          G_STRINGIFY (DEFAULT_MAX_VIEWERS) ")", "N"},
    {"max-viewers-per-address", 0, 0, G_OPTION_ARG_INT,
          &config->max_viewers_per_address,
          "Sessions at once from one client address, all mounts together; "
          "more are refused with 453 (default: "
          G_STRINGIFY (DEFAULT_MAX_VIEWERS_PER_ADDRESS) ")", "N"},
    {"idle-timeout", 0, 0, G_OPTION_ARG_INT, &config->idle_timeout,
          "Seconds a connection without a session may go without a request "
          "(default: " G_STRINGIFY (DEFAULT_IDLE_TIMEOUT) ")", "SECONDS"},
    {"max-connections", 0, 0, G_OPTION_ARG_INT, &config->max_connections,
          "RTSP connections at once (default: "
          G_STRINGIFY (DEFAULT_MAX_CONNECTIONS) ")", "N"},
    {"auth-basic", 0, 0, G_OPTION_ARG_NONE, &config->credentials.basic,
        "With " AUTH_ENV ": accept Basic as well as Digest", NULL},
    {"adaptive-mount", 0, 0, G_OPTION_ARG_STRING, &config->adaptive_mount,
          "A second mount of the file, adaptive, on the same decode",
        "/video2"},
    {"adaptive-bitrate", 0, 0, G_OPTION_ARG_INT,
          &config->adaptive_bitrate_kbps,
          "Where the encoders of --adaptive-mount start, kbit/s (default: "
          "--bitrate)", "KBPS"},
    {"audio", 0, 0, G_OPTION_ARG_STRING, &audio,
          "The mounts' audio stream: aac, opus, pcmu or pcma (the file's "
          "own when it is that codec, else encoded to it), or none "
          "(default: none)", "CODEC"},
    {"adaptive", 0, 0, G_OPTION_ARG_NONE, &config->adaptive,
          "The bitrate follows the viewers: ask them for fast feedback "
          "(TWCC, RTCP-Interval) and send sender reports often", NULL},
    {"transport-policy", 0, 0, G_OPTION_ARG_STRING, &transport_policy,
          "udp: any transport; tcp: UDP answered 461; auto: 461 to UDP from "
          "clients known to report rarely (default: udp)", "POLICY"},
    {"encoder-preset", 0, 0, G_OPTION_ARG_STRING, &config->encoder_preset,
          "x264 speed preset: ultrafast, superfast or veryfast (default: "
          DEFAULT_ENCODER_PRESET ")", "PRESET"},
    {"encoders", 0, 0, G_OPTION_ARG_INT, &config->max_encoders,
          "Viewers with an encoder of their own at once; later ones share "
          "the one at the lowest bitrate. 0: one encoder for all (default)",
        "N"},
    {"webrtc-ports", 0, 0, G_OPTION_ARG_STRING, &webrtc_ports,
          "The UDP ports WebRTC viewers' ICE may use (default: any)",
        "MIN-MAX"},
    {"no-webrtc-rtx", 0, 0, G_OPTION_ARG_NONE, &config->webrtc_no_rtx,
        "Do not resend what WebRTC viewers lost (RTX on NACK)", NULL},
    {"webrtc-connect-timeout", 0, 0, G_OPTION_ARG_INT,
          &config->webrtc_connect_timeout_s,
          "Seconds a WebRTC viewer's ICE and DTLS may take (default 30)", "S"},
    {NULL}
  };
  /* *INDENT-ON* */
  GOptionContext *context;
  GError *error = NULL;
  gboolean parsed;

  config->port = -1;
  config->linger_s = DEFAULT_LINGER_S;
  config->bitrate_kbps = DEFAULT_BITRATE_KBPS;
  config->adaptive_bitrate_kbps = -1;
  config->width = DEFAULT_WIDTH;
  config->height = DEFAULT_HEIGHT;
  config->fps = DEFAULT_FPS;
  config->cleanup_interval = DEFAULT_CLEANUP_INTERVAL;
  config->session_timeout = DEFAULT_SESSION_TIMEOUT;
  config->max_viewers = DEFAULT_MAX_VIEWERS;
  config->max_viewers_per_address = DEFAULT_MAX_VIEWERS_PER_ADDRESS;
  config->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  config->max_connections = DEFAULT_MAX_CONNECTIONS;
  config->webrtc_connect_timeout_s = DEFAULT_WEBRTC_CONNECT_TIMEOUT_S;

  context = g_option_context_new ("- serve one video file over RTSP");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  parsed = g_option_context_parse (context, argc, argv, &error);
  g_option_context_free (context);
  if (!parsed)
    goto parse_failed;
  ok = parse_transport_policy (config, protocol, transport_policy)
      && parse_audio (config, protocol, audio)
      && parse_webrtc_ports (config, protocol, webrtc_ports);
  g_free (transport_policy);
  g_free (audio);
  g_free (webrtc_ports);
  if (g_getenv (ICE_SERVERS_ENV) != NULL && *g_getenv (ICE_SERVERS_ENV))
    config->ice_servers = g_strsplit (g_getenv (ICE_SERVERS_ENV), " ", -1);
  if (!ok || !check_encoder_preset (config, protocol)
      || !check_ice_servers (config, protocol))
    return FALSE;

  if (config->host == NULL)
    config->host = g_strdup (DEFAULT_HOST);

  if (*argc > 1) {
    emit_usage_error (protocol, "unexpected argument '%s'", (*argv)[1]);
    return FALSE;
  }
  if (live)
    config->uri = g_strdup (g_getenv (URI_ENV));
  if (live && (config->uri == NULL || !gst_uri_is_valid (config->uri))) {
    emit_usage_error (protocol, "--live needs a URI in %s", URI_ENV);
    return FALSE;
  }
  if (config->uri != NULL && config->audio != AUDIO_CODEC_NONE
      && config->audio != AUDIO_CODEC_AAC) {
    emit_usage_error (protocol, "a live source's audio is sent as AAC "
        "(--audio aac or none)");
    return FALSE;
  }
  if (config->always_on && config->uri == NULL) {
    emit_usage_error (protocol, "--always-on is for a live source (--live)");
    return FALSE;
  }
  if ((config->file == NULL) == (config->uri == NULL) || config->mount == NULL
      || config->port == -1) {
    emit_usage_error (protocol, "--file or --live, --mount and --port are "
        "required");
    return FALSE;
  }
  if (config->mount[0] != '/') {
    emit_usage_error (protocol, "--mount must start with /, not '%s'",
        config->mount);
    return FALSE;
  }
  if (config->adaptive_mount != NULL && (config->adaptive_mount[0] != '/'
          || g_str_equal (config->adaptive_mount, config->mount))) {
    emit_usage_error (protocol, "--adaptive-mount must start with / and differ "
        "from --mount, not '%s'", config->adaptive_mount);
    return FALSE;
  }
  if (config->adaptive_bitrate_kbps == -1)
    config->adaptive_bitrate_kbps = config->bitrate_kbps;
  if (!credentials_read (&config->credentials, &error))
    goto bad_credentials;
  if (config->credentials.basic && config->credentials.user == NULL) {
    emit_usage_error (protocol, "--auth-basic needs credentials in %s",
        AUTH_ENV);
    return FALSE;
  }
  return check_range (protocol, "port", config->port, 1, G_MAXUINT16)
      && check_range (protocol, "bitrate", config->bitrate_kbps,
      PROTOCOL_MIN_BITRATE_KBPS, PROTOCOL_MAX_BITRATE_KBPS)
      && check_range (protocol, "adaptive-bitrate",
      config->adaptive_bitrate_kbps, PROTOCOL_MIN_BITRATE_KBPS,
      PROTOCOL_MAX_BITRATE_KBPS)
      && check_range (protocol, "width", config->width, 2, MAX_SIZE)
      && check_range (protocol, "height", config->height, 2, MAX_SIZE)
      && check_even (protocol, "width", config->width)
      && check_even (protocol, "height", config->height)
      && check_range (protocol, "fps", config->fps, 0, MAX_FPS)
      && check_range (protocol, "cleanup-interval", config->cleanup_interval, 1,
      MAX_CLEANUP_INTERVAL)
      && check_range (protocol, "session-timeout", config->session_timeout, 1,
      MAX_SESSION_TIMEOUT)
      && check_range (protocol, "max-viewers", config->max_viewers, 1,
      MAX_VIEWERS)
      && check_range (protocol, "max-viewers-per-address",
      config->max_viewers_per_address, 1, MAX_VIEWERS)
      && check_range (protocol, "idle-timeout", config->idle_timeout, 1,
      MAX_IDLE_TIMEOUT)
      && check_range (protocol, "max-connections", config->max_connections, 1,
      MAX_CONNECTIONS)
      && check_range (protocol, "encoders", config->max_encoders, 0,
      MAX_VIEWERS)
      && check_range (protocol, "linger", config->linger_s, 0,
      MAX_SESSION_TIMEOUT)
      && check_range (protocol, "webrtc-connect-timeout",
      config->webrtc_connect_timeout_s, 1, MAX_SESSION_TIMEOUT);

  /* ERRORS */
parse_failed:
  {
    g_free (transport_policy);
    g_free (audio);
    g_free (webrtc_ports);
    emit_usage_error (protocol, "%s", error->message);
    g_error_free (error);
    return FALSE;
  }
bad_credentials:
  {
    emit_usage_error (protocol, "%s", error->message);
    g_error_free (error);
    return FALSE;
  }
}

void
options_clear (HelperConfig * config)
{
  g_free (config->file);
  g_free (config->uri);
  g_free (config->mount);
  g_free (config->adaptive_mount);
  g_free (config->host);
  g_free (config->encoder_preset);
  g_strfreev (config->ice_servers);
  credentials_clear (&config->credentials);
}
