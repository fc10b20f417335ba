// A viewer in Node for behaviours no real client has: plays a mount over UDP (RTSP DESCRIBE,
// SETUP, PLAY on a raw connection; RTP and RTCP on its own sockets), follows the stream's SSRC
// and sequence numbers, and sends whatever RTCP a test builds (receiver reports with any figures,
// malformed TWCC feedback).
import { createSocket, type Socket } from 'node:dgram';
import { RawRtsp, sessionOf, type RawReply } from './raw-rtsp.ts';

const USER_AGENT = 'scripted-viewer/1';

export interface ReportFields {
  /** The reporter's SSRC. */
  ssrc: number;
  /** The SSRC reported on (the stream's, or not). */
  mediaSsrc: number;
  /** 0..255 (fraction × 256), as on the wire. */
  fraction: number;
  /** 24-bit signed on the wire. */
  cumulativeLost: number;
  highestSeq: number;
  jitter?: number;
  lsr?: number;
  dlsr?: number;
}

/** An RTCP receiver report (RFC 3550 6.4.2) with one report block. */
export function receiverReport(fields: ReportFields): Buffer {
  const packet = Buffer.alloc(32);
  packet.writeUInt8(0x81, 0); // V=2, RC=1
  packet.writeUInt8(201, 1);
  packet.writeUInt16BE(7, 2); // 8 words - 1
  packet.writeUInt32BE(fields.ssrc >>> 0, 4);
  packet.writeUInt32BE(fields.mediaSsrc >>> 0, 8);
  packet.writeUInt32BE((((fields.fraction & 0xff) << 24) | (fields.cumulativeLost & 0xffffff)) >>> 0, 12);
  packet.writeUInt32BE(fields.highestSeq >>> 0, 16);
  packet.writeUInt32BE((fields.jitter ?? 0) >>> 0, 20);
  packet.writeUInt32BE((fields.lsr ?? 0) >>> 0, 24);
  packet.writeUInt32BE((fields.dlsr ?? 0) >>> 0, 28);
  return packet;
}

/** TWCC feedback (RTPFB, FMT 15) that claims `count` packets received but carries no deltas. */
export function truncatedTwcc(ssrc: number, mediaSsrc: number, baseSeq: number, count: number): Buffer {
  const packet = Buffer.alloc(24);
  packet.writeUInt8(0x80 | 15, 0);
  packet.writeUInt8(205, 1);
  packet.writeUInt16BE(5, 2);
  packet.writeUInt32BE(ssrc >>> 0, 4);
  packet.writeUInt32BE(mediaSsrc >>> 0, 8);
  packet.writeUInt16BE(baseSeq & 0xffff, 12);
  packet.writeUInt16BE(count, 14);
  packet.writeUInt32BE(0, 16); // reference time, feedback count
  packet.writeUInt16BE(0x2000 | count, 20); // a run of `count` received packets, whose deltas never come
  return packet;
}

function bind(socket: Socket, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => resolve(true));
  });
}

/** Two UDP sockets on an even port and the next one, as RTP and RTCP want them. */
async function portPair(): Promise<{ rtp: Socket; rtcp: Socket; port: number }> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 40_000 + 2 * Math.floor(Math.random() * 10_000);
    const rtp = createSocket('udp4');
    const rtcp = createSocket('udp4');
    if ((await bind(rtp, port)) && (await bind(rtcp, port + 1))) return { rtp, rtcp, port };
    rtp.close();
    rtcp.close();
  }
  throw new Error('no free UDP port pair');
}

export class ScriptedViewer {
  readonly ssrc = 0x5c21_7ed0;
  /** The stream's SSRC, once a packet came. */
  streamSsrc: number | undefined;
  /** Extended highest sequence number received, counting wraps from the first packet. */
  highestSeq: number | undefined;
  packets = 0;
  readonly #rtsp: RawRtsp;
  readonly #rtp: Socket;
  readonly #rtcp: Socket;
  /** Where the helper takes this viewer's RTCP (its SETUP answer's server_port). */
  readonly serverRtcpPort: number;
  /** The answers to its DESCRIBE (the SDP in `body`) and its PLAY. */
  readonly answers: { describe: RawReply; play: RawReply };

  private constructor(
    rtsp: RawRtsp,
    rtp: Socket,
    rtcp: Socket,
    serverRtcpPort: number,
    answers: { describe: RawReply; play: RawReply },
  ) {
    this.#rtsp = rtsp;
    this.#rtp = rtp;
    this.#rtcp = rtcp;
    this.serverRtcpPort = serverRtcpPort;
    this.answers = answers;
    rtp.on('message', (packet) => this.#onRtp(packet));
  }

  /** DESCRIBE, SETUP over UDP and PLAY of rtsp://127.0.0.1:port/mount. */
  static async play(port: number, mount: string): Promise<ScriptedViewer> {
    const url = `rtsp://127.0.0.1:${port}${mount}`;
    const rtsp = await RawRtsp.open(port);
    const { rtp, rtcp, port: clientPort } = await portPair();
    const describe = await rtsp.request([
      `DESCRIBE ${url} RTSP/1.0`,
      'CSeq: 1',
      `User-Agent: ${USER_AGENT}`,
      'Accept: application/sdp',
    ]);
    if (describe.status !== 200) throw new Error(`DESCRIBE ${url}: ${describe.head}`);
    const setup = await rtsp.request([
      `SETUP ${url}/stream=0 RTSP/1.0`,
      'CSeq: 2',
      `User-Agent: ${USER_AGENT}`,
      `Transport: RTP/AVP;unicast;client_port=${clientPort}-${clientPort + 1}`,
    ]);
    const serverPorts = /server_port=(\d+)-(\d+)/.exec(setup.head);
    const session = sessionOf(setup.head);
    if (setup.status !== 200 || !serverPorts || !session) throw new Error(`SETUP: ${setup.head}`);
    const play = await rtsp.request([
      `PLAY ${url} RTSP/1.0`,
      'CSeq: 3',
      `User-Agent: ${USER_AGENT}`,
      `Session: ${session}`,
    ]);
    if (play.status !== 200) throw new Error(`PLAY: ${play.head}`);
    return new ScriptedViewer(rtsp, rtp, rtcp, Number(serverPorts[2]), { describe, play });
  }

  #onRtp(packet: Buffer): void {
    if (packet.length < 12) return;
    const seq = packet.readUInt16BE(2);
    this.streamSsrc = packet.readUInt32BE(8);
    this.packets += 1;
    if (this.highestSeq === undefined) {
      this.highestSeq = seq;
      return;
    }
    const cycles = this.highestSeq - (this.highestSeq & 0xffff);
    let extended = cycles + seq;
    if (extended < this.highestSeq - 0x8000) extended += 0x10000;
    if (extended > this.highestSeq) this.highestSeq = extended;
  }

  /** Sends RTCP from the viewer's RTCP port to the server's. */
  sendRtcp(packet: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#rtcp.send(packet, this.serverRtcpPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  }

  close(): void {
    this.#rtsp.close();
    this.#rtp.close();
    this.#rtcp.close();
  }
}
