// Frames the server sends on its own (not replies): each is routed to the conversation it is about,
// so the other modules see only messages, presence changes and typing notices of known conversations.

import { Group } from './group.js';
import { directKey } from './targets.js';
import * as view from './view.js';

/**
 * @param {import('./state.js').ChatState} state
 * @param {{receive: (group: Group, messages: object[], isNew: boolean) => void,
 *          startTyping: (group: Group, user: string) => void,
 *          stopTyping: (group: Group, user: string) => void,
 *          renderGroupList: () => void, moderation: ReturnType<import('./moderation.js').createModeration>,
 *          edits: ReturnType<import('./edits.js').createEdits>}} deps
 *   receive from messages.js, startTyping and stopTyping from typing.js, renderGroupList from conversations.js,
 *   moderation from moderation.js (member and group_deleted events, invitations), edits from edits.js
 */
export function createEventHandler(state, { receive, startTyping, stopTyping, renderGroupList, moderation, edits }) {
  return function handleEvent(frame) {
    if (frame.type === 'error') {
      view.showError(frame.message); // a request sent without an id failed (e.g. typing)
      return;
    }
    if (frame.type === 'invitation') {
      moderation.applyInvitation(frame);
      return;
    }
    const isMessage = frame.type === 'message' || frame.type === 'direct';
    const key = typeof frame.with === 'string' ? directKey(frame.with) : frame.group;
    if (!state.me || typeof key !== 'string') {
      return;
    }
    let group = state.groups.get(key);
    if (!group) {
      if (!isMessage) {
        return;
      }
      // A group joined or a conversation started elsewhere, or an event that beat the `groups` reply.
      group = new Group(key, frame.seq - 1);
      group.request = frame.type === 'direct' && frame.from.toLowerCase() !== state.me.toLowerCase();
      state.groups.set(key, group);
      renderGroupList();
    }
    if (isMessage) {
      receive(group, [frame], true);
    } else if (frame.type === 'read') {
      // Marked read here or in another tab or device: the unread count follows the marker.
      group.readSeq = Math.max(group.readSeq, frame.seq);
      group.unread = group.name === state.selected ? 0 : Math.max(0, group.seenSeq - group.readSeq);
      renderGroupList();
    } else if (frame.type === 'presence') {
      group.applyPresence(frame.user, frame.status);
      if (frame.status === 'left' || frame.status === 'offline') {
        stopTyping(group, frame.user);
      }
      if (group.name === state.selected) {
        moderation.showMembers(group);
      }
    } else if (frame.type === 'edited' || frame.type === 'deleted') {
      edits.apply(group, frame);
      // Only the next change moves the counter: after a gap, the next sync's catch-up brings what is missing.
      if (frame.rev === group.rev + 1) {
        group.rev = frame.rev;
      }
    } else if (frame.type === 'member') {
      moderation.applyMemberEvent(group, frame);
    } else if (frame.type === 'group_deleted') {
      moderation.applyDeleted(group, frame.by);
    } else if (frame.type === 'typing') {
      startTyping(group, frame.user);
    }
  };
}
