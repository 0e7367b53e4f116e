// "Is typing" notices: ours are sent at most every couple of seconds while the text changes, and
// each one of others' is shown for a few seconds (or until that person's message arrives).

import { directUser } from './targets.js';
import * as view from './view.js';

const { el } = view;
const TYPING_SHOWN_MS = 3000;
const TYPING_SENT_EVERY_MS = 2000;

/**
 * @param {import('./state.js').ChatState} state
 * @param {import('./connection.js').Connection} connection
 */
export function createTyping(state, connection) {
  function noteTyping() {
    const now = Date.now();
    // Typing notices are a group's; the protocol has none for direct conversations.
    const inGroup = state.selected && directUser(state.selected) === null;
    if (state.online && inGroup && el.message.value && now - state.lastTypingSent >= TYPING_SENT_EVERY_MS) {
      state.lastTypingSent = now;
      connection.notify('typing', { group: state.selected });
    }
  }

  function startTyping(group, user) {
    clearTimeout(group.typing.get(user));
    group.typing.set(user, setTimeout(() => stopTyping(group, user), TYPING_SHOWN_MS));
    if (group.name === state.selected) {
      view.renderTyping([...group.typing.keys()]);
    }
  }

  function stopTyping(group, user) {
    if (!group.typing.has(user)) {
      return;
    }
    clearTimeout(group.typing.get(user));
    group.typing.delete(user);
    if (group.name === state.selected) {
      view.renderTyping([...group.typing.keys()]);
    }
  }

  return { noteTyping, startTyping, stopTyping };
}
