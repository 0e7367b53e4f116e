// Sending: a message waits in the outbox until the server confirms it, so nothing typed is lost
// to a drop and the messages of one page reach the group in the order they were sent.

import { directUser } from './targets.js';
import * as view from './view.js';

const { el } = view;

const MAX_OVERLOAD_WAIT_MS = 10000;

/**
 * How long to wait after the server refused a publish as overloaded: its hint, doubled for each refusal in a
 * row up to a cap, and stretched by up to half at random so that refused pages do not all return at once.
 */
function overloadWait(retryAfterMs, refusals) {
  const hint = retryAfterMs ?? 1000;
  const grown = Math.max(hint, Math.min(hint * 2 ** refusals, MAX_OVERLOAD_WAIT_MS));
  return grown * (1 + Math.random() / 2);
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function randomId() {
  // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * @param {import('./state.js').ChatState} state
 * @param {import('./connection.js').Connection} connection
 * @param {{receive: (group: import('./group.js').Group, messages: object[], isNew: boolean) => void}} messages
 */
export function createOutbox(state, connection, { receive }) {
  function sendMessage() {
    const text = el.message.value;
    if (!state.selected || !text.trim()) {
      return;
    }
    view.showError('');
    state.outbox.push({ group: state.selected, text, clientMsgId: randomId() });
    el.message.value = '';
    state.lastTypingSent = 0; // receivers hide our notice when the message arrives; announce the next one
    renderOutbox();
    view.scrollToBottom();
    drainOutbox();
  }

  /** Publishes the outbox in order; stops at a disconnect and resumes after the next session start. */
  async function drainOutbox() {
    if (state.sending || !state.online) {
      return;
    }
    state.sending = true;
    let refusals = 0;
    try {
      while (state.outbox.length > 0) {
        const entry = state.outbox[0];
        try {
          const { text, clientMsgId } = entry;
          const to = directUser(entry.group);
          const reply = to === null
            ? await connection.request('publish', { group: entry.group, text, clientMsgId })
            : await connection.request('direct', { to, text, clientMsgId });
          const group = state.groups.get(entry.group);
          if (group) {
            // Shown now rather than on the message event, which may come before or after the ok.
            receive(group, [{ seq: reply.seq, from: state.me, text, ts: reply.ts, clientMsgId }], false);
          }
        } catch (e) {
          if (e.code === 'disconnected') {
            return;
          }
          if (e.code === 'overloaded') {
            // Nothing was stored: the entry stays first in line and goes again after the wait.
            entry.retrying = true;
            renderOutbox();
            await pause(overloadWait(e.retryAfterMs, refusals++));
            continue;
          }
          view.showError(e.message);
          if (entry.group === state.selected && !el.message.value) {
            el.message.value = entry.text; // e.g. too long: give the text back to fix, not lose it
          }
        }
        refusals = 0;
        state.outbox.shift();
        renderOutbox();
      }
    } finally {
      state.sending = false;
    }
  }

  function renderOutbox() {
    view.renderPending(state.outbox.filter((entry) => entry.group === state.selected));
  }

  return { sendMessage, drainOutbox, renderOutbox };
}
