// The controller's constants, in one place, each with the reason for its value
// (docs/controller.md explains the rules they belong to).

/** Loss at or above this is overload: the path delivers clearly less than we send. */
export const LOSS_OVERUSE = 0.1;
/** Loss below this counts as a clean path (a few losses happen on any real link). */
export const LOSS_CLEAN = 0.02;

/** Queueing delay (RTT over its base, or a TCP viewer's send queue in time) that means overuse. */
export const QUEUE_OVERUSE_MS = 50;
/** A key frame may queue for up to the encoder's rate-control buffer (native/encoder/media-launch.c, 200 ms)
 *  on a link near the bitrate: one RTT sample above QUEUE_OVERUSE_MS may be such a burst, one
 *  above this is not. */
export const BURST_QUEUE_MS = 200;
/** Queueing delay under which the path counts as clean; between the two, hold. */
export const QUEUE_CLEAN_MS = 20;

/** After an overuse, send this fraction of the path's estimated capacity (GCC's 0.85)... */
export const BACKOFF = 0.85;
/** ...minus what drains the queue already built within this time, */
export const DRAIN_S = 2;
/** The queue assumed when packets are lost and nothing says how deep it is (a full tail-drop
 *  queue; typical bottleneck buffers hold a few hundred ms). */
export const FULL_QUEUE_MS = 300;
/** ...but never less than this fraction of the capacity estimate in one step. */
export const DEEPEST_CUT = 0.6;

/** A viewer below the path's capacity whose queue drains within this long holds; one whose queue
 *  would take longer (a TCP viewer's backlog, cut too little at first) is cut again. */
export const MAX_DRAIN_S = 3;

/** After a cut, its effect needs this long to show: in the sent rate (stats come once a second),
 *  in the two send-queue intervals a TCP collapse is judged on, or in TWCC feedback, which times
 *  each frame (a frame or two, and the queue ahead of them). Signals before then still describe
 *  the old rate. */
export const DECREASE_COOLDOWN_MS = { report: 1000, queue: 500, twcc: 300 } as const;

/** Multiplicative probing far from the last known good rate: 8 % per second (as GCC)... */
export const PROBE_MULTIPLICATIVE_PER_S = 0.08;
/** ...and faster while the viewer's signals come within FRESH_SIGNAL_MS of each other (TWCC
 *  about every frame, a send queue every 250 ms, rtspsrc's reports every 100 ms): an overshoot
 *  shows within a fraction of a second, before its queue costs much. */
export const FAST_PROBE_PER_S = 0.25;
export const FRESH_SIGNAL_MS = 500;
/** Additive probing near it: this fraction of the last good rate per second. A sparse UDP
 *  viewer's overshoot shows only at its next report, seconds later; a TCP viewer's within 600 ms
 *  and a TWCC viewer's within a frame or two, so their paths can be probed faster for the same
 *  excess queue. */
export const PROBE_ADDITIVE_PER_S = { report: 0.02, queue: 0.05, twcc: 0.1 } as const;
/** "Near" the last good rate: from this fraction of it up to its upper bound below. */
export const NEAR_GOOD_LOW = 0.85;
export const NEAR_GOOD_HIGH = 1.05;
/** The longest silence a single probe step accounts for. */
export const MAX_PROBE_ELAPSED_S = 10;
/** The typical RTCP interval, for a viewer's first report, which has no previous one to measure from. */
export const FIRST_REPORT_INTERVAL_MS = 5_000;
/** One step never raises more than this factor, however long the silence before it. */
export const MAX_STEP_UP = 1.3;
/** Probing is pointless beyond what the encoder really produces: cap at this × sent rate. */
export const SENT_HEADROOM = 1.5;

/** TCP: a queue over QUEUE_OVERUSE_MS in every sample of this window is standing (a key frame's
 *  burst drains within a few hundred ms on any link that carries the stream), and the delivered
 *  rate is measured over it (one key frame per second: each window holds about one). */
export const TCP_WINDOW_MS = 600;

/** TWCC: the standing queue is the smallest of the frames' queueing delays over this window (a
 *  key frame's burst passes a link near the bitrate within the encoder's rate-control buffer,
 *  200 ms; a longer window would see a capacity drop later). */
export const TWCC_QUEUE_WINDOW_MS = 200;
/** TWCC: this many frames running, each queued longer than the one before, the queue growing by
 *  FAST_GROWTH ms or more per ms sent (sending 1.5 times what the path delivers) and the latest
 *  over QUEUE_OVERUSE_MS, is a capacity drop (133 ms at 30 fps): after a key frame's burst the
 *  next frames queue less and less, and a mild overshoot is the gradient's to find. */
export const RISING_FRAMES = 4;
export const FAST_GROWTH = 0.5;

/** TCP: a viewer that took less than this share of what it was fed in two send-queue intervals
 *  running (500 ms) sits behind a path that collapsed: a key frame's burst fills one interval. */
export const COLLAPSE_SHARE = 0.6;

/** The encoder is set at most this much above the target to make up for its shortfall
 *  (encoder-gain.ts); the gain follows each second's shortfall by this share. */
export const MAX_ENCODER_GAIN = 1.2;
export const ENCODER_GAIN_SMOOTHING = 0.2;

/** Changes smaller than this fraction of the target are not sent to the encoder. */
export const MIN_CHANGE = 0.01;
/** Raises reach the encoder at most this often (signals come every frame); cuts at once. */
export const MIN_RAISE_INTERVAL_MS = 250;
