// The one way messages get into a group, whatever brought them (live event, catch-up, history
// page, our own publish confirmed), so duplicates and unread counts are handled in one place.

import * as view from './view.js';

/**
 * @param {import('./state.js').ChatState} state
 * @param {{stopTyping: (group: import('./group.js').Group, user: string) => void,
 *          onUnread: () => void, onShown: () => void}} hooks
 *   onUnread: a group's unread count went up (the group list shows the counts);
 *   onShown: new messages went on screen (to be marked read)
 */
export function createMessages(state, { stopTyping, onUnread, onShown }) {
  const isOwn = (message) => message.from.toLowerCase() === state.me?.toLowerCase();

  /**
   * Holds and shows messages (live, catch-up, history, or our own publish confirmed). Anything
   * already held is ignored, so overlaps between these sources never show a message twice.
   * @param {boolean} isNew counts toward the unread badge (false for history pages we asked for)
   */
  function receive(group, messages, isNew) {
    const onScreen = group.name === state.selected;
    const stickToBottom = onScreen && view.isNearBottom();
    let unread = 0;
    let shown = false;
    let answered = false;
    for (const message of messages) {
      if (!group.add(message)) {
        continue;
      }
      if (group.request && isOwn(message)) {
        group.request = false; // a request we write in is ours from now on
        answered = true;
      }
      if (onScreen) {
        view.insertMessage(message, isOwn(message));
        stopTyping(group, message.from);
        shown = true;
      } else if (isNew && !isOwn(message)) {
        unread++;
      }
    }
    if (shown) {
      onShown();
    }
    if (stickToBottom) {
      view.scrollToBottom();
    }
    if (unread || answered) {
      group.unread += unread;
      onUnread();
    }
  }

  return { isOwn, receive };
}
