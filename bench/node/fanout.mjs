// The independent load generator of Performance 2: one Node.js process (ws) with many sockets in groups,
// publishers sending open-loop at a fixed rate with their send time in the text, and every socket checking
// its group's seqs for loss, duplicates and order. It speaks only the wire protocol, so it measures the chat
// server and the Node yardstick (yardstick.mjs) alike, and it costs far less CPU per frame than the .NET
// load tool, so one core of it can load one core of server. Prints one JSON object (the fields of
// LoadTest's fanout run) to stdout, progress to stderr.
//
//   node bench/node/fanout.mjs --url http://127.0.0.1:5000 [--sockets 2000 --groups 20 --rate 50 ...] [--timeline FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const defaults = {
  url: 'http://127.0.0.1:5000', sockets: 2000, groups: 20, socketsPerUser: 4, publishersPerGroup: 1, rate: 50,
  duration: 10, warmup: 3, messageSize: 100, connectRate: 1000, serverPid: null, lowerRate: null, lowerDuration: 6,
  timeline: null,
};
const options = parseArguments(process.argv.slice(2));
const prefix = `nl${Math.floor(100000 + Math.random() * 900000)}`;
const wsUrl = `${options.url.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`;
const password = 'load test password';
const settlingMs = 2000;

const MESSAGE_TYPE = Buffer.from('{"type":"message"');
const SEQ_FIELD = Buffer.from('"seq":');
const TEXT_FIELD = Buffer.from('"text":"');
const TS_FIELD = Buffer.from('"ts":"');
// One message in this many has its time since stored (its ts) measured: parsing a date costs more than the rest of a frame.
const STORED_SAMPLE = 16;

/** The decimal number (digits and one point) at the offset of a buffer. */
function numberAfter(buffer, offset) {
  let value = 0;
  let scale = 0;
  for (let i = offset; i < buffer.length; i++) {
    const c = buffer[i];
    if (c === 46) {
      scale = 1;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      scale *= 10;
    } else {
      break;
    }
  }
  return scale > 1 ? value / scale : value;
}

class Histogram {
  buckets = new Uint32Array(600000); // 0.1 ms buckets up to 60 s
  count = 0;
  max = 0;

  record(ms) {
    const value = Math.max(0, ms);
    this.buckets[Math.min(this.buckets.length - 1, Math.floor(value * 10))]++;
    this.count++;
    this.max = Math.max(this.max, value);
  }

  percentile(quantile) {
    if (this.count === 0) {
      return 0;
    }
    const rank = Math.ceil(quantile * this.count);
    let seen = 0;
    for (let bucket = 0; bucket < this.buckets.length; bucket++) {
      seen += this.buckets[bucket];
      if (seen >= rank) {
        return round((bucket + 1) / 10, 1);
      }
    }
    return round(this.max, 1);
  }

  summary() {
    return { p50: this.percentile(0.5), p90: this.percentile(0.9), p99: this.percentile(0.99), p999: this.percentile(0.999), max: round(this.max, 1) };
  }
}

/**
 * The measured deliveries by when their message was sent, in 50 ms slots: whether a p99 comes from a few
 * stalls or from a queue that builds up and drains (--timeline FILE writes it as text).
 */
class Timeline {
  slotMs = 50;
  start = Infinity;
  slots = [];

  record(sentAt, latency) {
    const index = Math.floor((sentAt - this.start) / this.slotMs);
    if (index < 0) {
      return;
    }
    const slot = (this.slots[index] ??= { count: 0, sum: 0, max: 0 });
    slot.count++;
    slot.sum += latency;
    slot.max = Math.max(slot.max, latency);
  }

  write(file) {
    const lines = ['sent_ms deliveries mean_ms max_ms'];
    this.slots.forEach((slot, index) => {
      if (slot) {
        lines.push(`${index * this.slotMs} ${slot.count} ${round(slot.sum / slot.count, 1)} ${round(slot.max, 1)}`);
      }
    });
    writeFileSync(file, `${lines.join('\n')}\n`);
  }
}

const statistics = {
  published: 0, acked: 0, errors: {}, delivered: 0, gaps: 0, duplicates: 0, outOfOrder: 0, closedByServer: 0,
  delivery: new Histogram(), settling: new Histogram(), settled: new Histogram(), ack: new Histogram(), sinceStored: new Histogram(),
  // Made only when asked for: it is one more record per delivery on the generator's core.
  timeline: options.timeline === null ? null : new Timeline(), measuring: false, loweredAt: 0,
};

class LoadSocket {
  constructor(group) {
    this.group = group;
    this.lastSeq = 0;
    this.startSeq = 0;
    this.measureAfterSeq = Infinity;
    this.replies = new Map();
    this.sentAt = new Map();
    this.nextId = 0;
  }

  open() {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(wsUrl, { perMessageDeflate: false, skipUTF8Validation: true });
      this.ws.on('open', resolve);
      this.ws.on('error', reject);
      this.ws.on('message', (data) => this.onFrame(data));
      this.ws.on('close', () => {
        if (!this.closedByUs) {
          statistics.closedByServer++;
        }
      });
    });
  }

  /** A setup request: resolves with the reply, ok or error. */
  request(body) {
    const id = `s${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${body.type}`)), 60000);
      this.replies.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.ws.send(JSON.stringify({ ...body, id }));
    });
  }

  publish(text) {
    const id = `p${this.nextId++}`;
    this.sentAt.set(id, performance.now());
    statistics.published++;
    this.ws.send(`{"type":"publish","id":"${id}","group":"${this.group}","text":"${text}"}`);
  }

  onFrame(data) {
    // Message events are most frames: their seq and send time are read off the bytes, without decoding the
    // frame (both servers write "type" first and "seq" before "text").
    if (data.indexOf(MESSAGE_TYPE) === 0) {
      const seq = numberAfter(data, data.indexOf(SEQ_FIELD) + SEQ_FIELD.length);
      this.track(seq, numberAfter(data, data.indexOf(TEXT_FIELD) + TEXT_FIELD.length), data);
      return;
    }
    const frame = JSON.parse(data);
    const setup = this.replies.get(frame.id);
    if (setup) {
      this.replies.delete(frame.id);
      setup(frame);
    } else if (frame.type === 'ok') {
      const sent = this.sentAt.get(frame.id);
      if (sent !== undefined) {
        this.sentAt.delete(frame.id);
        statistics.acked++;
        if (statistics.measuring) {
          statistics.ack.record(performance.now() - sent);
        }
      }
    } else if (frame.type === 'error') {
      this.sentAt.delete(frame.id);
      statistics.errors[frame.code] = (statistics.errors[frame.code] ?? 0) + 1;
    }
  }

  track(seq, sentAt, data) {
    if (seq <= this.startSeq) {
      return;
    }
    const last = this.lastSeq === 0 ? this.startSeq : this.lastSeq;
    if (seq <= last) {
      statistics[seq < last ? 'outOfOrder' : 'duplicates']++;
      return;
    }
    if (seq > last + 1) {
      statistics.gaps += seq - last - 1;
    }
    this.lastSeq = seq;
    if (seq > this.measureAfterSeq) {
      statistics.delivered++;
      const latency = performance.now() - sentAt;
      if (statistics.loweredAt === 0 || sentAt < statistics.loweredAt) {
        statistics.delivery.record(latency);
        statistics.timeline?.record(sentAt, latency);
        if (seq % STORED_SAMPLE === 0) {
          statistics.sinceStored.record(sinceStored(data));
        }
      } else {
        (sentAt - statistics.loweredAt < settlingMs ? statistics.settling : statistics.settled).record(latency);
      }
    }
  }

  close() {
    this.closedByUs = true;
    this.ws.close(1000);
  }
}

/**
 * Wall-clock milliseconds from the message's ts (the server's clock as its storage write began, to the
 * millisecond) to now: server and generator share this machine's clock, so the time a message spent before
 * it was stored and after it can be told apart.
 */
function sinceStored(frame) {
  const at = frame.indexOf(TS_FIELD) + TS_FIELD.length;
  return performance.timeOrigin + performance.now() - Date.parse(frame.toString('latin1', at, at + 24));
}

/** Open-loop publishing for one socket: message n of a phase goes at phase start + (n + offset) intervals. */
class Publisher {
  constructor(socket, offset) {
    this.socket = socket;
    this.offset = offset;
    this.padding = 'x'.repeat(Math.max(0, options.messageSize - 24));
  }

  start(rate) {
    clearTimeout(this.timer);
    this.interval = 1000 / rate;
    this.phaseStart = performance.now();
    this.n = 0;
    this.schedule();
  }

  schedule() {
    const due = this.phaseStart + (this.n + this.offset) * this.interval;
    this.timer = setTimeout(() => this.send(), Math.max(0, due - performance.now()));
  }

  send() {
    if (this.socket.ws.readyState === WebSocket.OPEN) {
      this.socket.publish(`${performance.now().toFixed(3)} ${this.padding}`);
    }
    this.n++;
    this.schedule();
  }

  stop() {
    clearTimeout(this.timer);
  }
}

async function main() {
  const users = Math.ceil(options.sockets / options.socketsPerUser);
  progress(`creating ${users} users in ${options.groups} groups`);
  const tokens = await prepareAccounts(users);
  const rssBefore = serverMemory().rss;

  progress(`connecting ${options.sockets} sockets at ${options.connectRate}/s`);
  const connectStarted = performance.now();
  const { sockets, connectErrors } = await connectSockets(tokens);
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const rssConnected = serverMemory().rss;

  const byGroup = new Map();
  for (const socket of sockets) {
    if (!byGroup.has(socket.group)) {
      byGroup.set(socket.group, []);
    }
    byGroup.get(socket.group).push(socket);
  }
  const publishers = [...byGroup.values()].flatMap((members) => members.slice(0, options.publishersPerGroup));
  const running = publishers.map((socket, index) => new Publisher(socket, index / publishers.length));
  running.forEach((publisher) => publisher.start(options.rate));
  const ticker = setInterval(() => progress(
    `published ${statistics.published} acked ${statistics.acked} delivered ${statistics.delivered} p99 ${statistics.delivery.percentile(0.99)} ms lost ${statistics.gaps}`), 1000);

  await sleep(options.warmup * 1000);
  for (const socket of sockets) {
    socket.measureAfterSeq = Math.max(socket.lastSeq, socket.startSeq);
  }
  const runtimeBefore = await runtimeCounters();
  const cpuBefore = serverCpuSeconds();
  const ownCpuBefore = process.cpuUsage();
  progress(`measuring for ${options.duration} s`);
  statistics.measuring = true;
  const measureStarted = performance.now();
  if (statistics.timeline !== null) {
    statistics.timeline.start = measureStarted;
  }
  const queueLengths = sampleQueueLength(options.duration * 1000);
  await sleep(options.duration * 1000);
  const measuredSeconds = (performance.now() - measureStarted) / 1000;
  const cpuSeconds = serverCpuSeconds() - cpuBefore;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const runtimeAfter = await runtimeCounters();
  const measuredDeliveries = statistics.delivery.count;
  if (options.lowerRate !== null) {
    progress(`lowering the rate to ${options.lowerRate}/s per publisher for ${options.lowerDuration} s`);
    statistics.loweredAt = performance.now();
    running.forEach((publisher) => publisher.start(options.lowerRate));
    await sleep(options.lowerDuration * 1000);
  }
  running.forEach((publisher) => publisher.stop());

  const finalSeqs = await finalSeqsOf(byGroup);
  await drain(sockets, finalSeqs, 10000);
  clearInterval(ticker);
  statistics.timeline?.write(options.timeline);
  const expected = sockets.reduce((sum, socket) => sum + Math.max(0, (finalSeqs.get(socket.group) ?? 0) - socket.measureAfterSeq), 0);
  const memory = serverMemory();
  const result = {
    mode: 'fanout',
    generator: 'node',
    sockets: options.sockets,
    groups: options.groups,
    publishersPerGroup: options.publishersPerGroup,
    ratePerPublisher: options.rate,
    messageSize: options.messageSize,
    seconds: round(measuredSeconds, 1),
    published: statistics.published,
    acked: statistics.acked,
    errors: statistics.errors,
    expectedDeliveries: expected,
    receivedDeliveries: statistics.delivered,
    lost: Math.max(0, expected - statistics.delivered),
    duplicates: statistics.duplicates,
    outOfOrder: statistics.outOfOrder,
    gaps: statistics.gaps,
    closedByServer: statistics.closedByServer,
    deliveriesPerSecond: Math.round(measuredDeliveries / measuredSeconds),
    deliveryLatencyMs: statistics.delivery.summary(),
    lowered: options.lowerRate === null ? null : {
      ratePerPublisher: options.lowerRate,
      seconds: options.lowerDuration,
      settlingLatencyMs: statistics.settling.summary(),
      settledLatencyMs: statistics.settled.summary(),
      settledAfterSeconds: settlingMs / 1000,
    },
    ackLatencyMs: { p50: statistics.ack.percentile(0.5), p99: statistics.ack.percentile(0.99) },
    // Sampled 1 in STORED_SAMPLE; with deliveryLatencyMs it splits a message's time at its ts (see sinceStored).
    storedToReceivedMs: statistics.sinceStored.summary(),
    loadToolCpuSecondsWhileMeasuring: round((ownCpu.user + ownCpu.system) / 1e6, 1),
    connectErrors,
    connectSeconds: round(connectSeconds, 2),
    connectsPerSecond: Math.round(options.sockets / connectSeconds),
    server: options.serverPid === null ? null : {
      peakRssMiB: Math.floor(memory.peak / 1048576),
      rssPerSocketKiB: round((rssConnected - rssBefore) / 1024 / options.sockets, 1),
      cpuSecondsWhileMeasuring: round(cpuSeconds, 1),
      cpuSecondsPer1000Deliveries: measuredDeliveries === 0 ? 0 : round(cpuSeconds * 1000 / measuredDeliveries, 4),
    },
    runtime: runtime(runtimeBefore, runtimeAfter, measuredDeliveries, await queueLengths),
  };
  sockets.forEach((socket) => socket.close());
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(0);
}

/** Registers and logs in each user once (a token each) and joins it to its group; user u is in group u % groups. */
async function prepareAccounts(users) {
  const tokens = new Array(users);
  await forEachLimited(users, 8, async (user) => {
    const socket = new LoadSocket(groupName(user % options.groups));
    await socket.open();
    const username = `${prefix}u${user}`;
    await socket.request({ type: 'register', username, password });
    const login = await socket.request({ type: 'login', username, password });
    if (login.type !== 'ok') {
      throw new Error(`login failed: ${JSON.stringify(login)}`);
    }
    tokens[user] = login.token;
    await socket.request({ type: 'join', group: socket.group });
    socket.close();
  });
  return tokens;
}

async function connectSockets(tokens) {
  const sockets = new Array(options.sockets);
  let connectErrors = 0;
  const started = performance.now();
  await forEachLimited(options.sockets, 64, async (index) => {
    const due = started + (index / options.connectRate) * 1000;
    await sleep(Math.max(0, due - performance.now()));
    const user = Math.floor(index / options.socketsPerUser);
    const socket = new LoadSocket(groupName(user % options.groups));
    try {
      await socket.open();
      const auth = await socket.request({ type: 'auth', token: tokens[user] });
      const join = await socket.request({ type: 'join', group: socket.group });
      if (auth.type === 'ok' && join.type === 'ok') {
        socket.startSeq = join.lastSeq;
        sockets[index] = socket;
        return;
      }
    } catch {
      // counted below
    }
    connectErrors++;
  });
  return { sockets: sockets.filter(Boolean), connectErrors };
}

/** Each group's last seq, asked through one of its members. */
async function finalSeqsOf(byGroup) {
  const seqs = new Map();
  for (const [group, members] of byGroup) {
    const reply = await members[0].request({ type: 'groups' });
    for (const entry of reply.groups ?? []) {
      if (entry.group === group) {
        seqs.set(group, entry.lastSeq);
      }
    }
  }
  return seqs;
}

async function drain(sockets, finalSeqs, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  const errors = () => Object.values(statistics.errors).reduce((sum, count) => sum + count, 0);
  while (performance.now() < deadline
    && (sockets.some((socket) => socket.lastSeq < (finalSeqs.get(socket.group) ?? 0)) || statistics.acked + errors() < statistics.published)) {
    await sleep(50);
  }
}

/** The server's .NET runtime counters from its /metrics, as LoadTest/RuntimeCounters.cs reads them; null for a server without. */
async function runtimeCounters() {
  try {
    const response = await fetch(`${options.url.replace(/\/$/, '')}/metrics`, { signal: AbortSignal.timeout(10000) });
    if (!response.ok) {
      return null;
    }
    const series = [];
    for (const line of (await response.text()).split('\n')) {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
      if (match) {
        series.push({ name: match[1], labels: match[2] ?? '', value: Number(match[3]) });
      }
    }
    const sum = (name, label) => series.filter((s) => s.name === name && (!label || s.labels.includes(label))).reduce((total, s) => total + s.value, 0);
    if (!series.some((s) => s.name === 'dotnet_gc_heap_total_allocated_bytes_total')) {
      return null;
    }
    return {
      stages: Object.fromEntries(Object.entries(SERVER_STAGES).map(([stage, name]) => [stage, histogramOf(series, name)])),
      allocated: sum('dotnet_gc_heap_total_allocated_bytes_total'),
      collections: ['"gen0"', '"gen1"', '"gen2"'].map((generation) => sum('dotnet_gc_collections_total', generation)),
      pauseSeconds: sum('dotnet_gc_pause_time_seconds_total'),
      queueLength: sum('dotnet_thread_pool_queue_length'),
    };
  } catch {
    return null;
  }
}

/** The server's latency histograms that split a message's way into stages, by the Prometheus name of each. */
const SERVER_STAGES = {
  readToAck: 'orleanschat_publish_duration_seconds',
  storageWrite: 'orleans_storage_write_latency_milliseconds',
  storedToRelay: 'orleanschat_relay_stream_delay_seconds',
  storedToQueued: 'orleanschat_fanout_duration_seconds',
};

/** One histogram's sum, count and cumulative bucket counts (by upper bound, in ms), summed over its label sets. */
function histogramOf(series, name) {
  const toMs = name.endsWith('_seconds') ? 1000 : 1;
  const buckets = new Map();
  for (const s of series.filter((s) => s.name === `${name}_bucket`)) {
    const bound = /le="([^"]+)"/.exec(s.labels)?.[1];
    const ms = bound === '+Inf' ? Infinity : Number(bound) * toMs;
    buckets.set(ms, (buckets.get(ms) ?? 0) + s.value);
  }
  const total = (suffix) => series.filter((s) => s.name === `${name}${suffix}`).reduce((sum, s) => sum + s.value, 0);
  return { sumMs: total('_sum') * toMs, count: total('_count'), buckets };
}

/**
 * Mean and p99 of what a histogram recorded between two scrapes; the p99 is interpolated within its bucket,
 * as Prometheus's histogram_quantile does, so it is only as fine as the bucket bounds.
 */
function stageBetween(before, after) {
  const count = after.count - before.count;
  if (count <= 0) {
    return null;
  }
  const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
  const rank = 0.99 * count;
  let lower = 0;
  let seenBelow = 0;
  let p99 = null;
  for (const bound of bounds) {
    const seen = after.buckets.get(bound) - (before.buckets.get(bound) ?? 0);
    if (seen >= rank) {
      p99 = bound === Infinity ? lower : lower + (bound - lower) * ((rank - seenBelow) / Math.max(1, seen - seenBelow));
      break;
    }
    lower = bound;
    seenBelow = seen;
  }
  return { count, meanMs: round((after.sumMs - before.sumMs) / count, 2), p99Ms: p99 === null ? null : round(p99, 1) };
}

async function sampleQueueLength(durationMs) {
  const samples = [];
  const end = performance.now() + durationMs;
  while (performance.now() + 1000 <= end) {
    await sleep(1000);
    const snapshot = await runtimeCounters();
    if (snapshot) {
      samples.push(snapshot.queueLength);
    }
  }
  return samples;
}

function runtime(before, after, deliveries, queueLengths) {
  if (!before || !after) {
    return null;
  }
  return {
    stages: Object.fromEntries(Object.keys(SERVER_STAGES).map((stage) => [stage, stageBetween(before.stages[stage], after.stages[stage])])),
    allocatedBytesPerDelivery: deliveries === 0 ? 0 : round((after.allocated - before.allocated) / deliveries, 1),
    gcCollections: { gen0: after.collections[0] - before.collections[0], gen1: after.collections[1] - before.collections[1], gen2: after.collections[2] - before.collections[2] },
    gcPauseMs: round((after.pauseSeconds - before.pauseSeconds) * 1000, 1),
    threadPoolQueue: queueLengths.length === 0 ? null : { mean: round(queueLengths.reduce((a, b) => a + b, 0) / queueLengths.length, 1), max: Math.max(...queueLengths) },
  };
}

function serverCpuSeconds() {
  if (options.serverPid === null) {
    return 0;
  }
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks.
  const stat = readFileSync(`/proc/${options.serverPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function serverMemory() {
  if (options.serverPid === null) {
    return { rss: 0, peak: 0 };
  }
  const status = readFileSync(`/proc/${options.serverPid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

async function forEachLimited(count, limit, action) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      await action(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

function parseArguments(argv) {
  const parsed = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
    if (!(key in defaults)) {
      throw new Error(`unknown option ${argv[i]}`);
    }
    parsed[key] = key === 'url' || key === 'timeline' ? argv[i + 1] : Number(argv[i + 1]);
  }
  return parsed;
}

function groupName(group) {
  return `${prefix}g${group}`;
}

function round(value, digits) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function progress(line) {
  process.stderr.write(`[${new Date().toTimeString().slice(0, 8)}] ${line}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
