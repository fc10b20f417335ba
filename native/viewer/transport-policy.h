/* Which transport a dynamic mount lets each viewer use (--transport-policy):
 * a viewer that cannot give fast feedback over UDP is sent to TCP, where
 * the server's own send queue is the signal. */
#ifndef RTSP_HELPER_TRANSPORT_POLICY_H
#define RTSP_HELPER_TRANSPORT_POLICY_H

#include <gst/rtsp/rtsp.h>

/* Which transports a SETUP of an adaptive mount may ask for. */
typedef enum
{
  TRANSPORT_POLICY_UDP,         /* any: UDP or TCP interleaved */
  TRANSPORT_POLICY_TCP,         /* UDP is answered 461 */
  TRANSPORT_POLICY_AUTO,        /* 461 to UDP from clients known to report
                                 * rarely */
} TransportPolicy;

/* The `rejected` reason when this SETUP must be answered 461 Unsupported
 * Transport, or NULL when the mount takes it. */
const gchar *transport_policy_refusal (TransportPolicy policy,
    GstRTSPMessage * request);

#endif /* RTSP_HELPER_TRANSPORT_POLICY_H */
