// The picture a video's mounts send: the file's own size and frame rate by default (never
// upscaled), shrunk to fit --max-size keeping its shape, or exactly --width x --height.
export interface Size {
  width: number;
  height: number;
}

export interface Picture extends Size {
  /** Frames per second sent: --fps, else the file's; undefined when the file declares none. */
  fps: number | undefined;
}

export interface PictureRule {
  /** --width/--height: every video at this size (letterboxed to keep its shape). */
  size: Size | undefined;
  /** --max-size: the box a video's own size is shrunk to fit. */
  maxSize: Size;
  /** --fps; 0 keeps the file's. */
  fps: number;
}

/** I420 and x264 need even sides; 16 is the helper's least. */
const even = (pixels: number): number => Math.max(16, 2 * Math.floor(pixels / 2));

export function pictureOf(source: Picture, rule: PictureRule): Picture {
  const fps = rule.fps > 0 ? rule.fps : source.fps;
  if (rule.size) return { ...rule.size, fps };
  const scale = Math.min(1, rule.maxSize.width / source.width, rule.maxSize.height / source.height);
  return { width: even(source.width * scale), height: even(source.height * scale), fps };
}

/**
 * A live source's picture: its size is not known before it connects and may change while it
 * plays, so its output is fixed (--width/--height, else the --max-size box, letterboxed) and
 * viewers never renegotiate; its frame rate is its own.
 */
export function livePictureOf(rule: PictureRule): Picture {
  return { ...(rule.size ?? rule.maxSize), fps: rule.fps > 0 ? rule.fps : undefined };
}

/** `1280x720 30 fps`. */
export function pictureText(picture: Picture): string {
  const fps = picture.fps === undefined ? 'its own fps' : `${Number(picture.fps.toFixed(2))} fps`;
  return `${picture.width}x${picture.height} ${fps}`;
}
