#include "encoder/send-log.h"

void
send_log_add (SendLog * log, guint16 seq, guint32 rtp_time, guint bytes,
    gint64 sent_us)
{
  SentPacket *slot = &log->slots[seq % SEND_LOG_SLOTS];

  slot->seq = seq;
  slot->rtp_time = rtp_time;
  slot->bytes = bytes;
  slot->sent_us = sent_us;
  slot->used = TRUE;
}

const SentPacket *
send_log_find (const SendLog * log, guint16 seq)
{
  const SentPacket *slot = &log->slots[seq % SEND_LOG_SLOTS];

  return slot->used && slot->seq == seq ? slot : NULL;
}
