// SFU capacity (issue 4): how many concurrent consumers of one 640x480 30 fps VP8 stream (~1 Mbit/s) one
// mediasoup Worker carries on this machine, and the worker CPU each consumer costs.
// One Worker + Router; Debian ffmpeg sends vtest.avi as VP8 RTP (libvpx realtime, 1 Mbit/s, looped at real time;
// encoded once to a cached file and streamed with -c:v copy, or live with --live-encode) into a PlainTransport
// producer (comedia, rtcp-mux);
// consumers are PlainTransports sending to UDP sinks in a child process (so the sinks' CPU is not the
// bench's or the worker's), first plain RTP, then with SRTP (the nearest stand-in for WebRTC encryption).
// Per step N = 1, 5, 10, 25, ... it settles, then measures over a window: worker CPU (/proc/<pid>/stat, % of
// one core), CPU per consumer above the N=0 baseline, worker RSS, producer packet rate, packets/s sent
// (consumer stats) and received (sinks) per consumer, loss, and the CPU of the sinks, this process, ffmpeg and
// everything else on the host ("others%": the machine is shared). loss% counts packets missing by RTP sequence
// number at the sinks: a consumer keeps its producer's sequence gaps, so this is end to end (ingest, worker,
// kernel, sinks) and free of timing skew. "vs prod%" is 1 - received / (N x producer packets) over the same
// window: the brief's measure, but a frame's burst of packets landing either side of a window edge makes it
// jitter by a few percent, so the ramp stops on loss%. us/pkt: worker CPU above baseline per packet sent.
// A mode stops at worker CPU > 90% of a core, loss > 1%, or its share of the < 3 minute budget.
//   node --import tsx bench/sfu-capacity.ts [--steps=1,5,10,25,50,100,200,400,800,1200,1600]
//        [--modes=plain,srtp] [--window=5] [--settle=2] [--sinks=8] [--live-encode]
//   npm run bench:sfu     (the worker binary comes from resolveMediasoupWorkerBin: MEDIASOUP_WORKER_BIN or cache)
import { fork, spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { once } from "node:events";
import { existsSync, readFileSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as mediasoup from "mediasoup";
import type { types } from "mediasoup";
import { resolveMediasoupWorkerBin } from "../app/sfu/mediasoup-worker-bin.server";
import { VTEST_AVI } from "../tests/e2e/support/fake-camera";

const argValue = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const STEPS = (argValue("steps") ?? "1,5,10,25,50,100,200,400,800,1200,1600").split(",").map(Number);
const MODES = (argValue("modes") ?? "plain,srtp").split(",") as Array<"plain" | "srtp">;
const WINDOW_S = Number(argValue("window") ?? 5);
const SETTLE_S = Number(argValue("settle") ?? 2); // > the 1 s GOP, so every new consumer has had a key frame
const SINK_SOCKETS = Number(argValue("sinks") ?? 8);
const BUDGET_S = 170; // whole run, under 3 minutes; a hard stop fires at 180 s
const MAX_WORKER_CPU = 90;
const MAX_LOSS_PERCENT = 1;
// The ingest socket gets a 4 MB buffer so a moment without CPU on a busy host does not drop packets; a worker
// that cannot keep up then shows as a growing unread queue (latency) instead: more than the default buffer stops.
const MAX_INGEST_BACKLOG_KB = Math.round(Number(readFileSync("/proc/sys/net/core/rmem_default", "utf8")) / 1024);
const CLIP = VTEST_AVI;
// vtest.avi is 768x576 at 10 fps: scaled, frames repeated to 30 fps, a key frame every second (so a new
// consumer, which waits for a key frame, starts within the settle time; ffmpeg ignores mediasoup's PLIs).
const ENCODE = "-an -vf scale=640:480,fps=30 -c:v libvpx -deadline realtime -cpu-used 8 -b:v 1M -g 30".split(" ");
const FFMPEG_QUIET = ["-hide_banner", "-nostdin", "-loglevel", "error"];
// By default the clip is encoded once (cached in the temp dir) and streamed with -c:v copy: on a shared 2-core
// machine a live encoder falls behind (seen: 40-90 pkt/s instead of ~130) and the load would drift with it.
const LIVE_ENCODE = process.argv.includes("--live-encode");
const SSRC = 22222222; // ffmpeg's -ssrc is a signed 32-bit int
const PAYLOAD_TYPE = 101;
const PROBATION_SSRC = 1234; // mediasoup's bandwidth-probation padding stream
const CLOCK_TICKS = 100; // USER_HZ on Linux
const CONSUMER_STATS_SAMPLE = 40; // consumers whose send stats are read per step (all of them is slow at N=1000)

type SinkStreams = Map<number, { received: number; first: number; highest: number }>;

// ---- Sink child: counts RTP packets per SSRC on a few UDP sockets; headers are clear in SRTP too. ----
async function runSink(socketCount: number): Promise<void> {
  const streams: SinkStreams = new Map();
  const onPacket = (msg: Buffer) => {
    if (msg.length < 12 || msg[0]! >> 6 !== 2 || (msg[1]! >= 192 && msg[1]! <= 223)) return; // not RTP / RTCP
    const ssrc = msg.readUInt32BE(8);
    if (ssrc === PROBATION_SSRC || (msg[1]! & 0x7f) === 127) return;
    const seq = msg.readUInt16BE(2);
    const stream = streams.get(ssrc);
    if (!stream) return void streams.set(ssrc, { received: 1, first: seq, highest: seq });
    stream.received++;
    const ahead = (seq - (stream.highest & 0xffff) + 0x10000) & 0xffff;
    if (ahead < 0x8000) stream.highest += ahead; // extended sequence number; late packets do not move it
  };
  const ports: number[] = [];
  for (let i = 0; i < socketCount; i++) {
    const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 4 << 20 });
    socket.on("message", onPacket);
    socket.bind(0, "127.0.0.1");
    await once(socket, "listening");
    ports.push(socket.address().port);
  }
  process.on("message", (msg: { type: string; id: number }) => {
    if (msg.type !== "snapshot") return;
    const list = [...streams].map(([ssrc, s]) => [ssrc, s.received, s.first, s.highest]);
    process.send!({ type: "snapshot", id: msg.id, at: performance.now(), streams: list });
  });
  process.on("disconnect", () => process.exit(0));
  process.send!({ type: "ready", ports });
}

// ---- /proc readers ----
/** utime + stime of a process (all its threads), or only stime, in clock ticks. */
function cpuTicks(pid: number, only?: "system"): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (only ? 0 : Number(fields[11])) + Number(fields[12]);
  } catch {
    return NaN; // process gone
  }
}

function hostTicks(): { busy: number; total: number } {
  const [, ...f] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total }; // minus idle and iowait
}

/** Of the 127.0.0.1 UDP sockets bound to these ports: datagrams the kernel dropped (receive buffer full) and
 * bytes waiting unread in their receive queues (skb sizes, about twice the payload). */
function udpSocketState(ports: number[]): { drops: number; queuedBytes: number } {
  const wanted = new Set(ports.map((p) => `0100007F:${p.toString(16).toUpperCase().padStart(4, "0")}`));
  const state = { drops: 0, queuedBytes: 0 };
  for (const line of readFileSync("/proc/net/udp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length <= 12 || !wanted.has(f[1]!)) continue;
    state.drops += Number(f[12]);
    state.queuedBytes += parseInt(f[4]!.split(":")[1]!, 16);
  }
  return state;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"))!;
  return Math.round(Number(line.replace(/\D+/g, "")) / 1024);
}

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** The clip as 640x480 30 fps VP8 at 1 Mbit/s (20 s of it), encoded by ffmpeg once and kept in the temp dir. */
async function encodeClipOnce(): Promise<string> {
  const file = path.join(os.tmpdir(), "argus-bench-vtest-640x480-30fps-vp8-1M-g30.webm");
  if (existsSync(file)) return file;
  const partial = `${file}.partial.${process.pid}.webm`;
  const encoder = spawn("ffmpeg", [...FFMPEG_QUIET, "-y", "-t", "20", "-i", CLIP, ...ENCODE, partial], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const [code] = (await once(encoder, "exit")) as [number | null];
  if (code !== 0) throw new Error(`ffmpeg could not encode ${CLIP} (exit ${code})`);
  renameSync(partial, file);
  return file;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- Parent ----
interface Row {
  mode: string;
  n: number;
  addSeconds: number;
  workerCpu: number;
  workerSystemCpu: number;
  perConsumer: number;
  usPerPacket: number;
  rss: number;
  producerPps: number;
  producerKbps: number;
  ingestDrops: number;
  ingestBacklogKb: number;
  sentPps: number;
  rxPps: number;
  rxMinPps: number;
  loss: number;
  shortfall: number;
  sinkDropPct: number;
  silent: number;
  sinkCpu: number;
  benchCpu: number;
  ffmpegCpu: number;
  othersCpu: number;
  hostCpu: number;
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const elapsedS = () => (performance.now() - startedAt) / 1000;
  let ffmpeg: ChildProcess | undefined;
  let sink: ChildProcess | undefined;
  let worker: types.Worker | undefined;
  let stopping = false;
  const cleanup = () => {
    stopping = true;
    ffmpeg?.kill("SIGKILL");
    sink?.kill("SIGKILL");
    if (worker && !worker.closed) worker.close();
    // close() asks the worker to exit; make sure it does even if we exit right now.
    const pid = worker?.pid;
    if (pid) setTimeout(() => killIfAlive(pid), 500).unref();
  };
  const abort = (why: string, code: number) => {
    if (stopping) return;
    console.error(`sfu-capacity: ${why}`);
    cleanup();
    setTimeout(() => process.exit(code), 600);
  };
  process.once("SIGINT", () => abort("interrupted", 130));
  process.once("SIGTERM", () => abort("terminated", 143));
  setTimeout(() => abort("hard time limit (180 s) reached", 1), 180_000).unref();

  try {
    worker = await mediasoup.createWorker({ workerBin: resolveMediasoupWorkerBin(), logLevel: "warn" });
    worker.on("died", (error) => abort(`mediasoup worker died: ${error.message}`, 1));
    const workerPid = worker.pid;
    const router = await worker.createRouter({
      mediaCodecs: [{ kind: "video", mimeType: "video/VP8", clockRate: 90000 }],
    });

    // 4 MB (net.core.rmem_max here): see MAX_INGEST_BACKLOG_KB.
    const ingest = await router.createPlainTransport({
      listenInfo: { protocol: "udp", ip: "127.0.0.1", recvBufferSize: 4 << 20 },
      rtcpMux: true,
      comedia: true,
    });
    const producer = await ingest.produce({
      kind: "video",
      rtpParameters: {
        codecs: [{ mimeType: "video/VP8", payloadType: PAYLOAD_TYPE, clockRate: 90000 }],
        encodings: [{ ssrc: SSRC }],
      },
    });
    const port = ingest.tuple.localPort;
    // skip_rtcp: ffmpeg 5.1 sends RTCP from a second local port, and comedia would latch onto whichever of the
    // two sockets speaks first, then drop the other's packets ("ignoring RTP packet from unknown IP:port").
    const rtpOut = `-f rtp -rtpflags skip_rtcp -payload_type ${PAYLOAD_TYPE} -ssrc ${SSRC}`.split(" ");
    const input = LIVE_ENCODE ? ["-i", CLIP, ...ENCODE] : ["-i", await encodeClipOnce(), "-c:v", "copy"];
    ffmpeg = spawn(
      "ffmpeg",
      [
        ...FFMPEG_QUIET,
        "-re",
        "-stream_loop",
        "-1",
        ...input,
        ...rtpOut,
        `rtp://127.0.0.1:${port}?pkt_size=1200&rtcpport=${port}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let ffmpegErr = "";
    ffmpeg.stderr!.on("data", (chunk: Buffer) => (ffmpegErr = (ffmpegErr + chunk).slice(-2000)));
    ffmpeg.once("exit", (code) => {
      if (!stopping) abort(`ffmpeg exited (${code}): ${ffmpegErr}`, 1);
    });

    sink = fork(fileURLToPath(import.meta.url), [`--sink=${SINK_SOCKETS}`], { stdio: "inherit" });
    const sinkPorts = await new Promise<number[]>((resolve, reject) => {
      sink!.once("message", (msg: { ports: number[] }) => resolve(msg.ports));
      sink!.once("exit", (code) => reject(new Error(`sink process exited with ${code}`)));
    });
    let snapshotId = 0;
    const sinkSnapshot = () =>
      new Promise<{ at: number; streams: SinkStreams }>((resolve) => {
        const id = ++snapshotId;
        type Reply = { type: string; id: number; at: number; streams: Array<[number, number, number, number]> };
        const onMessage = (msg: Reply) => {
          if (msg.type !== "snapshot" || msg.id !== id) return;
          sink!.off("message", onMessage);
          const list = msg.streams.map(
            ([ssrc, received, first, highest]) => [ssrc, { received, first, highest }] as const,
          );
          resolve({ at: msg.at, streams: new Map(list) });
        };
        sink!.on("message", onMessage);
        sink!.send({ type: "snapshot", id });
      });

    const deadline = Date.now() + 10_000;
    while (((await producer.getStats())[0]?.packetCount ?? 0) === 0) {
      if (Date.now() > deadline) throw new Error(`no RTP from ffmpeg into port ${port} after 10 s: ${ffmpegErr}`);
      await sleep(100);
    }

    let nextSink = 0;
    const consumers: Array<{ transport: types.PlainTransport; consumer: types.Consumer; ssrc: number }> = [];
    const pids = { worker: workerPid, sink: sink.pid!, bench: process.pid, ffmpeg: ffmpeg.pid! };
    const measure = async (mode: string, baseline: number, addSeconds: number): Promise<Row> => {
      await sleep(SETTLE_S * 1000);
      // Rates use each source's own clock (worker stats timestamps, the sink's clock), so a slow stats round trip
      // under load does not stretch or shrink a window; the stats requests themselves fall outside the CPU window.
      const probe = consumers.filter((_, i) => i % Math.ceil(consumers.length / CONSUMER_STATS_SAMPLE) === 0);
      const sample = async () => {
        const [p, sinkStreams, c, drops] = await Promise.all([
          producer.getStats().then(([st]) => st),
          sinkSnapshot(),
          Promise.all(probe.map(async (x) => (await x.consumer.getStats()).find((st) => st.type === "outbound-rtp"))),
          { sinks: udpSocketState(sinkPorts), ingest: udpSocketState([port]) },
        ]);
        return { p, sinkStreams, c, drops };
      };
      const readCpu = () => {
        const procs: Record<string, number> = { workerSystem: cpuTicks(workerPid, "system") };
        for (const [name, pid] of Object.entries(pids)) procs[name] = cpuTicks(pid);
        return { host: hostTicks(), procs, at: performance.now() };
      };
      const a = await sample();
      const cpu0 = readCpu();
      await sleep(WINDOW_S * 1000);
      const cpu1 = readCpu();
      const b = await sample();
      const seconds = (cpu1.at - cpu0.at) / 1000;
      const pct = (k: string) => ((cpu1.procs[k]! - cpu0.procs[k]!) / CLOCK_TICKS / seconds) * 100;
      const hostPct =
        ((cpu1.host.busy - cpu0.host.busy) / (cpu1.host.total - cpu0.host.total)) * os.cpus().length * 100;
      const n = consumers.length;
      const producerSeconds = ((b.p?.timestamp ?? 0) - (a.p?.timestamp ?? 0)) / 1000 || seconds;
      const producerPps = ((b.p?.packetCount ?? 0) - (a.p?.packetCount ?? 0)) / producerSeconds;
      const sinkSeconds = (b.sinkStreams.at - a.sinkStreams.at) / 1000;
      let received = 0;
      let expected = 0;
      let rxMin = Infinity;
      let silent = 0;
      for (const c of consumers) {
        const before = a.sinkStreams.streams.get(c.ssrc);
        const after = b.sinkStreams.streams.get(c.ssrc);
        const got = after ? after.received - (before?.received ?? 0) : 0;
        if (got === 0) silent++;
        received += got;
        // What the worker numbered for this consumer in the window (the consumer keeps the producer's gaps).
        if (after) expected += before ? after.highest - before.highest : after.highest - after.first + 1;
        rxMin = Math.min(rxMin, got);
      }
      const sentRates = probe.map((_, i) => {
        const [x, y] = [a.c[i], b.c[i]];
        return x && y && y.timestamp > x.timestamp
          ? (y.packetCount - x.packetCount) / ((y.timestamp - x.timestamp) / 1000)
          : 0;
      });
      const sentPps = sentRates.length ? sentRates.reduce((x, y) => x + y, 0) / sentRates.length : 0;
      const sinkDrops = b.drops.sinks.drops - a.drops.sinks.drops;
      const workerCpu = pct("worker");
      const own = pct("worker") + pct("sink") + pct("bench") + pct("ffmpeg");
      return {
        mode,
        n,
        addSeconds,
        workerCpu,
        workerSystemCpu: pct("workerSystem"),
        perConsumer: n ? (workerCpu - baseline) / n : 0,
        usPerPacket: n && sentPps ? ((workerCpu - baseline) / 100 / (n * sentPps)) * 1e6 : 0,
        rss: rssMb(workerPid),
        producerPps,
        producerKbps: (((b.p?.byteCount ?? 0) - (a.p?.byteCount ?? 0)) * 8) / producerSeconds / 1000,
        ingestDrops: b.drops.ingest.drops - a.drops.ingest.drops,
        ingestBacklogKb: Math.max(a.drops.ingest.queuedBytes, b.drops.ingest.queuedBytes) / 1024,
        sentPps,
        rxPps: n ? received / n / sinkSeconds : 0,
        rxMinPps: n ? rxMin / sinkSeconds : 0,
        loss: expected ? Math.max(0, 1 - received / expected) * 100 : 0,
        shortfall: n && producerPps ? (1 - received / n / sinkSeconds / producerPps) * 100 : 0,
        sinkDropPct: received + sinkDrops ? (sinkDrops / (received + sinkDrops)) * 100 : 0,
        silent,
        sinkCpu: pct("sink"),
        benchCpu: pct("bench"),
        ffmpegCpu: pct("ffmpeg"),
        othersCpu: Math.max(0, hostPct - own),
        hostCpu: hostPct,
      };
    };

    // [header, width, cell]: widths fit the header; CPU columns are % of one core.
    const columns: Array<[string, (r: Row) => string]> = [
      ["mode", (r) => r.mode],
      ["N", (r) => String(r.n)],
      ["add s", (r) => (r.n ? r.addSeconds.toFixed(1) : "-")],
      ["worker%", (r) => r.workerCpu.toFixed(1)],
      ["of it sys", (r) => r.workerSystemCpu.toFixed(1)],
      ["per-cons%", (r) => (r.n ? r.perConsumer.toFixed(3) : "-")],
      ["us/pkt", (r) => (r.n ? r.usPerPacket.toFixed(1) : "-")],
      ["RSS MB", (r) => String(r.rss)],
      ["prod pkt/s", (r) => r.producerPps.toFixed(0)],
      ["kbit/s", (r) => r.producerKbps.toFixed(0)],
      ["in drops", (r) => String(r.ingestDrops)],
      ["in queue KB", (r) => r.ingestBacklogKb.toFixed(0)],
      ["sent/cons", (r) => r.sentPps.toFixed(1)],
      ["rx/cons", (r) => r.rxPps.toFixed(1)],
      ["rx min", (r) => r.rxMinPps.toFixed(1)],
      ["loss%", (r) => r.loss.toFixed(2)],
      ["sink drop%", (r) => r.sinkDropPct.toFixed(2)],
      ["vs prod%", (r) => r.shortfall.toFixed(1)],
      ["sink%", (r) => r.sinkCpu.toFixed(0)],
      ["bench%", (r) => r.benchCpu.toFixed(0)],
      ["ffmpeg%", (r) => r.ffmpegCpu.toFixed(0)],
      ["others%", (r) => r.othersCpu.toFixed(0)],
    ];
    const pad = (text: string, i: number) =>
      i === 0 ? text.padEnd(5) : text.padStart(Math.max(columns[i]![0].length, i === 1 ? 5 : 0));
    const header = columns.map(([h], i) => pad(h, i)).join("  ");
    const print = (r: Row) =>
      console.log(
        columns.map(([, cell], i) => pad(cell(r), i)).join("  ") +
          (r.silent ? `  (${r.silent} consumers received nothing)` : ""),
      );

    console.log(
      `SFU capacity bench: mediasoup ${mediasoup.version} worker pid ${workerPid}, one 640x480 30 fps VP8 stream ` +
        `(ffmpeg libvpx realtime, 1 Mbit/s, ${CLIP.split("/").pop()}), ${os.cpus().length} cores, load average ` +
        `${os.loadavg()[0]!.toFixed(2)}; ${SETTLE_S} s settle + ${WINDOW_S} s window per step; CPU in % of one core`,
    );
    console.log(header);
    const baselineRow = await measure("none", 0, 0);
    print(baselineRow);
    const summaries: string[] = [];
    for (const [modeIndex, mode] of MODES.entries()) {
      const modeDeadlineS = elapsedS() + (BUDGET_S - elapsedS()) / (MODES.length - modeIndex);
      const stepS = SETTLE_S + WINDOW_S + 1; // + stats sampling and adding consumers
      let best: Row | undefined;
      let limit = "all steps passed";
      for (const n of STEPS) {
        if (elapsedS() + stepS > modeDeadlineS) {
          limit = `time budget (next step N=${n} would pass this mode's share of ${BUDGET_S} s)`;
          break;
        }
        const addStarted = performance.now();
        while (consumers.length < n) {
          const batch = Array.from({ length: Math.min(50, n - consumers.length) }, async () => {
            const transport = await router.createPlainTransport({
              listenInfo: { protocol: "udp", ip: "127.0.0.1" },
              rtcpMux: true,
              comedia: false,
              enableSrtp: mode === "srtp",
            });
            const sinkPort = sinkPorts[nextSink++ % sinkPorts.length]!;
            await transport.connect({
              ip: "127.0.0.1",
              port: sinkPort,
              ...(mode === "srtp" ? { srtpParameters: transport.srtpParameters } : {}),
            });
            const consumer = await transport.consume({
              producerId: producer.id,
              rtpCapabilities: router.rtpCapabilities,
            });
            consumers.push({ transport, consumer, ssrc: consumer.rtpParameters.encodings![0]!.ssrc! });
          });
          await Promise.all(batch);
        }
        const row = await measure(mode, baselineRow.workerCpu, (performance.now() - addStarted) / 1000);
        print(row);
        const reasons = [];
        if (row.workerCpu > MAX_WORKER_CPU)
          reasons.push(`worker CPU ${row.workerCpu.toFixed(0)}% > ${MAX_WORKER_CPU}%`);
        if (row.loss > MAX_LOSS_PERCENT) {
          const where = [];
          if (row.sinkDropPct > row.loss / 2)
            where.push(`${row.sinkDropPct.toFixed(1)}% dropped by the kernel at the sinks' full sockets`);
          if (row.ingestDrops > 0) where.push(`${row.ingestDrops} packets dropped at the worker's ingest socket`);
          if (!where.length) where.push("not in socket buffers: not sent by the worker");
          reasons.push(`loss ${row.loss.toFixed(2)}% > ${MAX_LOSS_PERCENT}% (${where.join(", ")})`);
        }
        if (row.sinkCpu > 85)
          reasons.push(`sink process at ${row.sinkCpu.toFixed(0)}% of a core: the sinks are a bottleneck`);
        if (row.hostCpu > os.cpus().length * 100 - 15)
          reasons.push(
            `host CPU saturated (${row.hostCpu.toFixed(0)}%, ${row.othersCpu.toFixed(0)}% of it other processes)`,
          );
        const behind = row.ingestBacklogKb > MAX_INGEST_BACKLOG_KB;
        if (behind)
          reasons.push(
            `worker falling behind: ${row.ingestBacklogKb.toFixed(0)} KB unread at its ingest socket ` +
              `(> ${MAX_INGEST_BACKLOG_KB} KB, the kernel's default buffer: it would be dropping)`,
          );
        if (reasons.length && (row.workerCpu > MAX_WORKER_CPU || row.loss > MAX_LOSS_PERCENT || behind)) {
          limit = `N=${n}: ${reasons.join("; ")}`;
          break;
        }
        best = row;
      }
      for (const c of consumers.splice(0)) c.transport.close();
      if (!best) {
        summaries.push(`${mode}: no step passed (${limit})`);
        continue;
      }
      const extrapolated = Math.floor((MAX_WORKER_CPU - baselineRow.workerCpu) / best.perConsumer);
      summaries.push(
        `${mode === "srtp" ? "SRTP" : "plain RTP"}: one mediasoup Worker carries ~${best.n} consumers of a 640x480 ` +
          `30 fps VP8 stream at ${best.perConsumer.toFixed(3)}% CPU per consumer (worker ${best.workerCpu.toFixed(0)}% ` +
          `of a core, ${best.rss} MB RSS, loss ${best.loss.toFixed(2)}%); at that cost ${MAX_WORKER_CPU}% of a core ` +
          `is ~${extrapolated} consumers. Ramp stopped by: ${limit}`,
      );
      await sleep(1000);
    }
    for (const line of summaries) console.log(line);
    console.log(
      "notes: 'prod pkt/s' is what the worker received, 'in drops' what the kernel dropped at its ingest socket " +
        "and 'in queue KB' what waited unread there (worker not keeping up); 'of it sys' is the worker's kernel time (sendmsg; on loopback the delivery into the " +
        "sinks' sockets may be charged to it too); RSS does not shrink when consumers close, so a later mode " +
        "starts from the previous peak; a sink counts SRTP packets by their clear RTP header without decrypting.",
    );
    console.log(`total ${elapsedS().toFixed(0)} s; the machine was shared ("others%" is the rest of the host's CPU)`);
  } finally {
    cleanup();
    if (worker) await Promise.race([once(worker, "subprocessclose"), sleep(3000)]);
  }
}

const sinkArg = argValue("sink");
if (sinkArg) await runSink(Number(sinkArg));
else {
  await main();
  process.exit(0);
}
