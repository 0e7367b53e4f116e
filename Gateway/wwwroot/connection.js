// The WebSocket to the gateway: request/reply matching by id, and reopening the socket with
// exponential backoff after any drop. It knows nothing about chat; session.js decides what to
// do when a socket opens (authenticate, catch up) through the onOpen handler app.js gives it.

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;
// The browser answers the server's WebSocket pings but never notices a silently dead
// connection (e.g. a laptop waking up on another network), so we ping ourselves.
const PING_EVERY_MS = 25000;
const PING_TIMEOUT_MS = 10000;

/**
 * A request that failed: `code` is the server's error code, or "disconnected"; `retryAfterMs` the server's
 * hint where it gave one (an `overloaded` publish).
 */
export class RequestError extends Error {
  constructor(code, message, retryAfterMs = null) {
    super(message);
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

const disconnected = () => new RequestError('disconnected', 'not connected to the server');

export class Connection {
  #url;
  #handlers;
  #ws = null;
  #wanted = false;           // false once close() is called: a drop then is not retried
  #failures = 0;             // consecutive attempts that never reached ready(); drives the backoff
  #pending = new Map();      // id → { resolve, reject } of requests waiting for their reply
  #openWaiters = [];         // requests made while the socket was still connecting
  #nextId = 1;
  #retryTimer = 0;
  #countdownTimer = 0;
  #pingTimer = 0;

  /**
   * @param {string} url the ws:// or wss:// address of /ws
   * @param {{onOpen: () => void, onEvent: (frame: object) => void,
   *          onStatus: (state: string, seconds?: number) => void}} handlers
   *   onStatus states: connecting, open, online (after ready()), reconnecting (with seconds), offline
   */
  constructor(url, handlers) {
    this.#url = url;
    this.#handlers = handlers;
  }

  /** Opens the socket unless it is open or a reopen is already scheduled; keeps it open until close(). */
  open() {
    this.#wanted = true;
    if (!this.#ws && !this.#retryTimer) {
      this.#connect();
    }
  }

  /** Closes the socket for good (log out); pending requests fail with "disconnected". */
  close() {
    this.#wanted = false;
    this.#clearTimers();
    this.#drop(1000);
    this.#handlers.onStatus('offline');
  }

  /**
   * Drops the current socket and opens a new one after the backoff delay (or after `delayMs`).
   * Used when a session cannot be set up (e.g. the cluster is unavailable), when a ping goes
   * unanswered, and by tests to simulate a network drop.
   */
  reconnect(delayMs) {
    if (!this.#wanted) {
      return;
    }
    this.#clearTimers();
    this.#drop(4000);
    this.#scheduleRetry(delayMs);
  }

  /** The session is usable: show "online" and start the next backoff from its minimum again. */
  ready() {
    this.#failures = 0;
    this.#handlers.onStatus('online');
  }

  /** Sends a request with a fresh id; resolves with the `ok`/`pong` frame, rejects with RequestError. */
  async request(type, fields = {}) {
    const ws = this.#ws;
    if (ws?.readyState === WebSocket.CONNECTING) {
      await new Promise((resolve, reject) => this.#openWaiters.push({ resolve, reject }));
    }
    if (!ws || ws !== this.#ws || ws.readyState !== WebSocket.OPEN) {
      throw disconnected();
    }
    const id = String(this.#nextId++);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ type, id, ...fields }));
    });
  }

  /** Sends a request without an id (only a failure is answered); dropped when not connected. */
  notify(type, fields = {}) {
    if (this.#ws?.readyState === WebSocket.OPEN) {
      this.#ws.send(JSON.stringify({ type, ...fields }));
    }
  }

  #connect() {
    this.#retryTimer = 0;
    this.#handlers.onStatus('connecting');
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    ws.onopen = () => {
      this.#openWaiters.splice(0).forEach((w) => w.resolve());
      this.#pingTimer = setInterval(() => this.#ping(), PING_EVERY_MS);
      this.#handlers.onStatus('open');
      this.#handlers.onOpen();
    };
    ws.onmessage = (event) => this.#receive(event.data);
    // A failed open fires error then close; close alone covers both.
    ws.onclose = () => {
      if (ws !== this.#ws) {
        return;
      }
      this.#clearTimers();
      this.#drop();
      if (this.#wanted) {
        this.#scheduleRetry();
      }
    };
  }

  #receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // the server only sends JSON; ignore anything else rather than crash the page
    }
    const waiter = typeof frame.id === 'string' ? this.#pending.get(frame.id) : undefined;
    if (!waiter) {
      this.#handlers.onEvent(frame);
      return;
    }
    this.#pending.delete(frame.id);
    if (frame.type === 'error') {
      waiter.reject(new RequestError(frame.code, frame.message, typeof frame.retryAfterMs === 'number' ? frame.retryAfterMs : null));
    } else {
      waiter.resolve(frame);
    }
  }

  async #ping() {
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new RequestError('timeout', 'ping timed out')), PING_TIMEOUT_MS));
    try {
      await Promise.race([this.request('ping'), timeout]);
    } catch (e) {
      if (e.code === 'timeout') {
        this.reconnect();
      }
    }
  }

  /** Forgets the current socket (closing it if still open) and fails everything waiting on it. */
  #drop(code) {
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      if (code && ws.readyState <= WebSocket.OPEN) {
        ws.close(code);
      }
    }
    this.#openWaiters.splice(0).forEach((w) => w.reject(disconnected()));
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    pending.forEach((w) => w.reject(disconnected()));
  }

  #scheduleRetry(delayMs) {
    const delay = delayMs ?? Math.min(FIRST_DELAY_MS * 2 ** this.#failures, MAX_DELAY_MS);
    this.#failures++;
    const due = Date.now() + delay;
    const tick = () => this.#handlers.onStatus('reconnecting', Math.ceil((due - Date.now()) / 1000));
    tick();
    this.#countdownTimer = setInterval(tick, 1000);
    this.#retryTimer = setTimeout(() => {
      clearInterval(this.#countdownTimer);
      this.#connect();
    }, delay);
  }

  #clearTimers() {
    clearTimeout(this.#retryTimer);
    clearInterval(this.#countdownTimer);
    clearInterval(this.#pingTimer);
    this.#retryTimer = 0;
  }
}
