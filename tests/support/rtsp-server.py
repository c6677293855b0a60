#!/usr/bin/python3
# A real RTSP server for tests (GStreamer's gst-rtsp-server, Debian gir1.2-gst-rtsp-server-1.0): it serves the
# H.264 RTP that a feeder (ffmpeg) sends to a local UDP port as rtsp://127.0.0.1:PORT/MOUNT, over RTP/AVP/TCP
# (interleaved) and UDP, like an IP camera. Optional basic auth. Started by tests/support/rtsp-source.ts.
# Usage: rtsp-server.py PORT MOUNT UDP_PORT [USER PASSWORD]
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

port, mount, udp_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
credentials = sys.argv[4:6]

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
caps = "application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=96"
factory.set_launch(
    f'( udpsrc address=127.0.0.1 port={udp_port} caps="{caps}" ! rtpjitterbuffer latency=100 '
    "! rtph264depay ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
)
factory.set_shared(True)
if credentials:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(credentials[0], credentials[1]), token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_role_from_structure(Gst.Structure.new_from_string("user, media.factory.access=true, media.factory.construct=true"))
    factory.set_permissions(permissions)
server.get_mount_points().add_factory("/" + mount, factory)
if server.attach(None) == 0:
    print("could not listen on port " + port, file=sys.stderr, flush=True)
    sys.exit(1)
loop = GLib.MainLoop()
for sig in (signal.SIGTERM, signal.SIGINT):
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
print(f"listening rtsp://127.0.0.1:{port}/{mount}", flush=True)
loop.run()
