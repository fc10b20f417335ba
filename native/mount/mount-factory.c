#include "mount/mount-factory.h"

#include "encoder/media-launch.h"
#include "feedback/twcc-extension.h"
#include "mount/mount-encoders.h"
#include "mount/mount-media.h"

/* Where a media's RTP and RTCP sockets take their ports: Linux's own
 * range for ephemeral ports. */
#define UDP_PORT_MIN 32768
#define UDP_PORT_MAX 60999

struct _MountFactory
{
  GstRTSPMediaFactory parent;
  Protocol *protocol;
  Viewers *viewers;
  Heartbeat *heartbeat;
  Source *source;
  gchar *path;
  gboolean adaptive;            /* fast feedback asked for, bitrate set live */
  MountEncoders *encoders;
  gint stopped;                 /* atomic */
};

G_DEFINE_TYPE (MountFactory, mount_factory, GST_TYPE_RTSP_MEDIA_FACTORY);

/* Its media is done with it: at its unprepare, or at its finalize if it
 * never got that far. */
static void
release_encoder (Encoder * encoder, GObject * mount)
{
  MountFactory *factory = MOUNT_FACTORY (mount);

  mount_encoders_remove (factory->encoders, encoder);
  encoder_free (encoder);
  heartbeat_trim_soon (factory->heartbeat);
}

static gchar *
mount_factory_gen_key (GstRTSPMediaFactory * base, const GstRTSPUrl * url)
{
  MountFactory *factory = MOUNT_FACTORY (base);
  gchar *key = mount_encoders_key (factory->encoders, factory->path);

  if (key != NULL)
    return key;
  return GST_RTSP_MEDIA_FACTORY_CLASS (mount_factory_parent_class)->gen_key
      (base, url);
}

static void
on_media_prepared (GstRTSPMedia * media, Encoder * encoder, GObject * mount)
{
  MountFactory *factory = MOUNT_FACTORY (mount);

  encoder_start_feedback (encoder, factory->protocol, factory->viewers, media,
      factory->path, factory->adaptive);
  mount_encoders_note_prepared (factory->encoders, encoder);
  encoder_emit_media (factory->protocol, factory->path, "prepared", encoder);
  encoder_emit_bitrate (factory->protocol, factory->path,
      encoder_id (encoder), encoder_applied_bitrate (encoder), 0);
}

static void
on_media_unprepared (GstRTSPMedia * media G_GNUC_UNUSED, Encoder * encoder,
    GObject * mount)
{
  MountFactory *factory = MOUNT_FACTORY (mount);

  encoder_emit_media (factory->protocol, factory->path, "unprepared", encoder);
}

static const MountMediaOwner media_owner = {
  .prepared = on_media_prepared,
  .unprepared = on_media_unprepared,
  .release = release_encoder,
};

static void
mount_factory_configure (GstRTSPMediaFactory * base, GstRTSPMedia * media)
{
  MountFactory *factory = MOUNT_FACTORY (base);
  MediaElements elements = { 0 };
  GstElement *element;
  gboolean found;
  Encoder *encoder;
  GError *error = NULL;

  GST_RTSP_MEDIA_FACTORY_CLASS (mount_factory_parent_class)->configure (base,
      media);
  /* At shutdown: the media is left without a producer. */
  if (g_atomic_int_get (&factory->stopped))
    return;

  element = gst_rtsp_media_get_element (media);
  found = media_launch_elements (element, &elements);
  gst_object_unref (element);
  if (!found)
    goto no_elements;
  if (factory->adaptive
      && !twcc_extension_add (elements.pay, TWCC_EXTMAP_ID, &error))
    goto no_extension;

  encoder = mount_encoders_configure (factory->encoders, media, &elements);
  encoder_start_measure (encoder, factory->protocol, factory->path,
      elements.pay);
  mount_media_set_encoder (MOUNT_MEDIA (media), encoder, &media_owner,
      G_OBJECT (factory));

  if (!encoder_subscribe (encoder, factory->source, &error))
    goto no_producer;
  media_elements_clear (&elements);
  return;

  /* ERRORS */
no_elements:
  {
    protocol_emit_error (factory->protocol, "pipeline",
        "the media has no element named src, enc or pay0", NULL);
    return;
  }
no_extension:
  {
    protocol_emit_error (factory->protocol, "pipeline", error->message, NULL);
    g_error_free (error);
    media_elements_clear (&elements);
    return;
  }
no_producer:
  {
    protocol_emit_error (factory->protocol, "pipeline", error->message, NULL);
    gst_element_post_message (elements.appsrc,
        gst_message_new_error (GST_OBJECT (elements.appsrc), error, NULL));
    g_error_free (error);
    media_elements_clear (&elements);
    return;
  }
}

static void
mount_factory_finalize (GObject * object)
{
  MountFactory *factory = MOUNT_FACTORY (object);

  /* Configured encoders hold the factory: only reservations are left. */
  mount_encoders_free (factory->encoders);
  source_unref (factory->source);
  g_free (factory->path);
  G_OBJECT_CLASS (mount_factory_parent_class)->finalize (object);
}

static void
mount_factory_class_init (MountFactoryClass * klass)
{
  GstRTSPMediaFactoryClass *factory_class =
      GST_RTSP_MEDIA_FACTORY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = mount_factory_finalize;
  factory_class->gen_key = mount_factory_gen_key;
  factory_class->configure = mount_factory_configure;
}

static void
mount_factory_init (MountFactory * factory G_GNUC_UNUSED)
{
}

/* The address --host names (a name resolves as the listener's does), or
 * NULL when it cannot be had. */
static GInetAddress *
address_of (const gchar * host)
{
  GInetAddress *address = g_inet_address_new_from_string (host);
  GResolver *resolver;
  GList *found;

  if (address != NULL)
    return address;
  resolver = g_resolver_get_default ();
  found = g_resolver_lookup_by_name (resolver, host, NULL, NULL);
  if (found != NULL)
    address = g_object_ref (found->data);
  g_resolver_free_addresses (found);
  g_object_unref (resolver);
  return address;
}

/* Without a pool, gst-rtsp-server binds a media's RTP and RTCP sockets to
 * every interface, whatever --host says. A pool of unicast ports on the
 * host's address binds them there. NULL for a wildcard host: every
 * interface, as asked. */
static GstRTSPAddressPool *
udp_ports_on (const gchar * host)
{
  GInetAddress *address = address_of (host);
  GstRTSPAddressPool *pool = NULL;
  gchar *text;

  if (address == NULL || g_inet_address_get_is_any (address))
    goto done;
  text = g_inet_address_to_string (address);
  pool = gst_rtsp_address_pool_new ();
  if (!gst_rtsp_address_pool_add_range (pool, text, text, UDP_PORT_MIN,
          UDP_PORT_MAX, 0))
    g_clear_object (&pool);
  g_free (text);
done:
  g_clear_object (&address);
  return pool;
}

MountFactory *
mount_factory_new (const MountSettings * settings, Protocol * protocol,
    Source * source, Viewers * viewers, Heartbeat * heartbeat)
{
  MountFactory *factory = g_object_new (MOUNT_TYPE_FACTORY, NULL);
  gchar *launch = media_launch_new (settings->encoder_preset, settings->fps,
      settings->bitrate_kbps, settings->audio);
  GstRTSPAddressPool *pool = udp_ports_on (settings->host);

  factory->protocol = protocol;
  factory->viewers = viewers;
  factory->heartbeat = heartbeat;
  factory->source = source_ref (source);
  factory->path = g_strdup (settings->path);
  factory->adaptive = settings->adaptive;
  factory->encoders = mount_encoders_new (settings->max_encoders,
      settings->bitrate_kbps);
  gst_rtsp_media_factory_set_launch (GST_RTSP_MEDIA_FACTORY (factory), launch);
  gst_rtsp_media_factory_set_media_gtype (GST_RTSP_MEDIA_FACTORY (factory),
      MOUNT_TYPE_MEDIA);
  g_free (launch);
  /* Unicast only: a multicast SETUP would have the helper send to a group
   * and port the client names. */
  gst_rtsp_media_factory_set_protocols (GST_RTSP_MEDIA_FACTORY (factory),
      GST_RTSP_LOWER_TRANS_UDP | GST_RTSP_LOWER_TRANS_TCP);
  if (pool != NULL) {
    gst_rtsp_media_factory_set_address_pool (GST_RTSP_MEDIA_FACTORY (factory),
        pool);
    g_object_unref (pool);
  }
  /* Shared: viewers with the same key (all of them, without per-viewer
   * encoders) get the same media. */
  gst_rtsp_media_factory_set_shared (GST_RTSP_MEDIA_FACTORY (factory), TRUE);
  return factory;
}

guint
mount_factory_start_bitrate (MountFactory * factory)
{
  return mount_encoders_start_bitrate (factory->encoders);
}

gboolean
mount_factory_take_encoder (MountFactory * factory)
{
  return mount_encoders_take_other (factory->encoders);
}

void
mount_factory_release_encoder (MountFactory * factory)
{
  mount_encoders_release_other (factory->encoders);
}

gboolean
mount_factory_set_bitrate (MountFactory * factory, guint encoder_id,
    guint bitrate_kbps)
{
  GArray *applied = g_array_new (FALSE, FALSE, sizeof (AppliedBitrate));
  gboolean found = mount_encoders_set_bitrate (factory->encoders, encoder_id,
      bitrate_kbps, applied);

  /* No encoder runs: acknowledged for the ones to come. */
  if (encoder_id == 0 && applied->len == 0)
    encoder_emit_bitrate (factory->protocol, factory->path, 0, bitrate_kbps,
        bitrate_kbps);
  for (guint i = 0; i < applied->len; i++) {
    const AppliedBitrate *set = &g_array_index (applied, AppliedBitrate, i);

    if (factory->adaptive)
      viewers_pace (factory->viewers, set->encoder, set->bitrate_kbps);
    encoder_emit_bitrate (factory->protocol, factory->path, set->encoder,
        set->bitrate_kbps, bitrate_kbps);
  }
  g_array_unref (applied);
  return found;
}

gboolean
mount_factory_encoder_of (GstRTSPMedia * media, EncoderRef * ref)
{
  Encoder *encoder = MOUNT_IS_MEDIA (media) ?
      mount_media_encoder (MOUNT_MEDIA (media)) : NULL;
  MountFactory *factory;

  if (encoder == NULL || encoder_measure (encoder) == NULL)
    return FALSE;
  factory = MOUNT_FACTORY (mount_media_mount (MOUNT_MEDIA (media)));
  ref->id = encoder_id (encoder);
  ref->bitrate_kbps = mount_encoders_bitrate (factory->encoders, encoder);
  ref->mount = factory->path;
  ref->adaptive = factory->adaptive;
  ref->measure = measure_ref (encoder_measure (encoder));
  return TRUE;
}

const gchar *
mount_factory_path (MountFactory * factory)
{
  return factory->path;
}

gboolean
mount_factory_is_adaptive (MountFactory * factory)
{
  return factory->adaptive;
}

void
mount_factory_wait_gone (MountFactory * factory)
{
  mount_encoders_wait_gone (factory->encoders);
}

void
mount_factory_stop (MountFactory * factory)
{
  g_atomic_int_set (&factory->stopped, TRUE);
  mount_encoders_unprepare (factory->encoders);
}
