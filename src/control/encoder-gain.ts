// x264's rate control, held to a buffer of 200 ms at its bitrate (native/encoder/media-launch.c, so that a
// key frame stays small), sends less than its bitrate: 73–92 % of it on the noise sample below
// 1 Mbit/s (npm run bench, 2026-12-02). The controller's target is what should leave the server;
// the encoder is set above it by the shortfall it shows, by at most MAX_ENCODER_GAIN (content that
// needs less than its bitrate, a still picture, shows a large shortfall that means nothing).
import { ENCODER_GAIN_SMOOTHING, MAX_ENCODER_GAIN } from './tuning.ts';

export class EncoderGain {
  #gain = 1;

  get gain(): number {
    return this.#gain;
  }

  /** One second's output (kbit/s) at the encoder setting in force over it: the setting per bit
   *  that left is the gain that would have met the target. */
  add(sentKbps: number, settingKbps: number): void {
    if (sentKbps <= 0 || settingKbps <= 0) return;
    const wanted = Math.min(MAX_ENCODER_GAIN, Math.max(1, settingKbps / sentKbps));
    this.#gain += ENCODER_GAIN_SMOOTHING * (wanted - this.#gain);
  }

  /** The encoder setting for a target on the wire. */
  settingFor(targetKbps: number): number {
    return Math.round(targetKbps * this.#gain);
  }

  reset(): void {
    this.#gain = 1;
  }
}
