#!/usr/bin/python3
"""An RTSP camera that is not this project: GStreamer's own RTSP server, from Python.

camera.py PORT [--user U --password P] [--size 640x480] [--fps 25]
Serves rtsp://127.0.0.1:PORT/cam: a live H.264 stream of a moving ball (a key frame every second),
with Digest credentials when given. Prints `ready` once listening and `clients N` on
stdout each time its count of connected clients changes, so that tests can count them.
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

LIVE = (
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width={w},height={h},framerate={fps}/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} ! rtph264pay name=pay0 pt=96 )"
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--fps", type=int, default=25)
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    width, height = args.size.split("x")
    factory.set_launch(LIVE.format(w=width, h=height, fps=args.fps))
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
