#!/usr/bin/python3
"""An RTSP camera that is not this project: GStreamer's own RTSP server, from Python.

camera.py PORT [--user U --password P] [--size 640x480] [--fps 25] [--audio] [--file CLIP.mp4]
Serves rtsp://127.0.0.1:PORT/cam: a live H.264 stream of a moving ball (a key frame every second),
with a 440-Hz tone as mono 16-kHz AAC when --audio is given, with Digest credentials when given. Prints `ready` once listening and `clients N` on
stdout each time its count of connected clients changes, so that tests can count them.

With --file, it serves that H.264 clip instead, looped, at its own pace, as it is (no B-frames
expected: it is sent in decode order), and prints `sent UNIX_MS CLIP_MS` as each frame goes to
the payloader: when it sent which frame of the clip, so that a viewer's delay can be measured
from the camera's own send.
"""
import argparse
import os
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstApp, GstRtsp, GstRtspServer  # noqa: E402,F401

LIVE = (
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width={w},height={h},framerate={fps}/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} ! rtph264pay name=pay0 pt=96 {audio})"
)
TONE = (
    "audiotestsrc is-live=true freq=440 volume=0.3 ! audio/x-raw,rate=16000,channels=1 ! avenc_aac "
    "! rtpmp4gpay name=pay1 pt=97 "
)
FROM_CLIP = "( appsrc name=clip is-live=true do-timestamp=true format=time ! h264parse ! rtph264pay name=pay0 pt=96 )"
CLIP_READER = (
    "filesrc location={path} ! qtdemux ! h264parse config-interval=-1 "
    "! video/x-h264,stream-format=byte-stream,alignment=au ! appsink name=out sync=true emit-signals=true"
)


class ClipLoop:
    """Reads the clip at its own pace, again and again, and hands each frame to every media
    playing it; a media that joins waits for the next key frame."""

    def __init__(self, path: str) -> None:
        self.pipeline = Gst.parse_launch(CLIP_READER.format(path=path))
        self.lock = threading.Lock()
        self.sources: dict[GstApp.AppSrc, bool] = {}  # appsrc -> has had its key frame
        out = self.pipeline.get_by_name("out")
        out.connect("new-sample", self.on_sample)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message::eos", self.on_eos)
        bus.connect("message::error", self.on_error)

    def start(self) -> None:
        self.pipeline.set_state(Gst.State.PLAYING)

    def add(self, source: GstApp.AppSrc) -> None:
        with self.lock:
            self.sources[source] = False

    def remove(self, source: GstApp.AppSrc) -> None:
        with self.lock:
            self.sources.pop(source, None)

    def on_sample(self, sink: GstApp.AppSink) -> Gst.FlowReturn:
        sample = sink.emit("pull-sample")
        buffer = sample.get_buffer()
        key = not buffer.has_flags(Gst.BufferFlags.DELTA_UNIT)
        clip_ms = buffer.pts / Gst.MSECOND
        with self.lock:
            for source in list(self.sources):
                if not self.sources[source] and not key:
                    continue
                self.sources[source] = True
                if source.get_caps() is None:
                    source.set_caps(sample.get_caps())
                copy = buffer.copy()
                copy.pts = copy.dts = Gst.CLOCK_TIME_NONE
                source.push_buffer(copy)
            sending = any(self.sources.values())
        if sending:
            print(f"sent {time.time() * 1000:.1f} {clip_ms:.1f}", flush=True)
        return Gst.FlowReturn.OK

    def on_eos(self, _bus: Gst.Bus, _message: Gst.Message) -> None:
        self.pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH, 0)

    def on_error(self, _bus: Gst.Bus, message: Gst.Message) -> None:
        error, _debug = message.parse_error()
        print(f"clip: {error.message}", file=sys.stderr, flush=True)
        os._exit(1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--audio", action="store_true")
    parser.add_argument("--file")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    if args.file:
        clip = ClipLoop(args.file)
        factory.set_launch(FROM_CLIP)

        def on_media(_factory: GstRtspServer.RTSPMediaFactory, media: GstRtspServer.RTSPMedia) -> None:
            source = media.get_element().get_by_name("clip")
            clip.add(source)
            media.connect("unprepared", lambda _media: clip.remove(source))

        factory.connect("media-configure", on_media)
        clip.start()
    else:
        width, height = args.size.split("x")
        factory.set_launch(LIVE.format(w=width, h=height, fps=args.fps, audio=TONE if args.audio else ""))
    factory.set_shared(True)
    if args.user:
        auth = GstRtspServer.RTSPAuth()
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "viewer")
        auth.add_digest(args.user, args.password, token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("viewer", "media.factory.access", True)
        permissions.add_permission_for_role("viewer", "media.factory.construct", True)
        factory.set_permissions(permissions)
    server.get_mount_points().add_factory("/cam", factory)

    clients = [0]

    def report() -> None:
        print(f"clients {clients[0]}", flush=True)

    def on_closed(_client: GstRtspServer.RTSPClient) -> None:
        clients[0] -= 1
        report()

    def on_connected(_server: GstRtspServer.RTSPServer, client: GstRtspServer.RTSPClient) -> None:
        clients[0] += 1
        client.connect("closed", on_closed)
        report()

    server.connect("client-connected", on_connected)
    if server.attach(None) == 0:
        print(f"cannot listen on 127.0.0.1:{args.port}", file=sys.stderr, flush=True)
        return 1
    print("ready", flush=True)
    GLib.MainLoop().run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
