// Frames the server sends on its own (not replies): each is routed to the group it is about, so
// the other modules see only messages, presence changes and typing notices of known groups.

import { Group } from './group.js';
import * as view from './view.js';

/**
 * @param {import('./state.js').ChatState} state
 * @param {{receive: (group: Group, messages: object[], isNew: boolean) => void,
 *          startTyping: (group: Group, user: string) => void,
 *          stopTyping: (group: Group, user: string) => void,
 *          renderGroupList: () => void}} deps
 *   receive from messages.js, startTyping and stopTyping from typing.js, renderGroupList from conversations.js
 * @returns {(frame: object) => void} the Connection's onEvent handler
 */
export function createEventHandler(state, { receive, startTyping, stopTyping, renderGroupList }) {
  return function handleEvent(frame) {
    if (frame.type === 'error') {
      view.showError(frame.message); // a request sent without an id failed (e.g. typing)
      return;
    }
    if (!state.me || typeof frame.group !== 'string') {
      return;
    }
    let group = state.groups.get(frame.group);
    if (!group) {
      if (frame.type !== 'message') {
        return;
      }
      // A group joined on another device, or an event that beat the `groups` reply.
      group = new Group(frame.group, frame.seq - 1);
      state.groups.set(frame.group, group);
      renderGroupList();
    }
    if (frame.type === 'message') {
      receive(group, [frame], true);
    } else if (frame.type === 'presence') {
      group.applyPresence(frame.user, frame.status);
      if (frame.status === 'left' || frame.status === 'offline') {
        stopTyping(group, frame.user);
      }
      if (group.name === state.selected) {
        view.renderMembers(group.sortedMembers());
      }
    } else if (frame.type === 'typing') {
      startTyping(group, frame.user);
    }
  };
}
