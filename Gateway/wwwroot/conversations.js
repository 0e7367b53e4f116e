// The groups and direct conversations, and the one on screen: the list is kept in line with the server
// after every session start (catching up whatever moved on meanwhile), and history is fetched only when
// a conversation is opened.

import { Group } from './group.js';
import { GROUP_KEY } from './state.js';
import { directKey, directUser, targetOf } from './targets.js';
import * as view from './view.js';

const { el, reportError } = view;
const CATCH_UP_PAGE = 200;
const READ_EVERY_MS = 1000; // the server takes 5 markers a second per user; one per conversation a second is plenty

/**
 * @param {import('./state.js').ChatState} state
 * @param {import('./connection.js').Connection} connection
 * @param {{receive: (group: Group, messages: object[], isNew: boolean) => void,
 *          isOwn: (message: object) => boolean, renderOutbox: () => void, showMembers: (group: Group) => void,
 *          applyChange: (group: Group, frame: object) => void}} deps
 *   receive and isOwn from messages.js, renderOutbox from outbox.js, showMembers from moderation.js, applyChange
 *   from edits.js
 */
export function createConversations(state, connection, { receive, isOwn, renderOutbox, showMembers, applyChange }) {
  /** Brings the list in line with the server and catches up every group and conversation that moved on. */
  async function syncGroups() {
    const [groups, directs] = await Promise.all([connection.request('groups'), connection.request('conversations')]);
    const listed = [
      ...groups.groups.map(({ group, lastSeq, readSeq, unread, rev }) => ({ key: group, lastSeq, readSeq, unread, rev })),
      ...directs.conversations.map(({ with: user, lastSeq, blocked, readSeq, unread, request, rev }) => ({ key: directKey(user), lastSeq, blocked, readSeq, unread, request, rev })),
    ];
    const current = new Set(listed.map((entry) => entry.key));
    for (const name of state.groups.keys()) {
      // Left on another device; a conversation opened here but not yet written in stays.
      if (!current.has(name) && (directUser(name) === null || state.groups.get(name).seenSeq > 0)) {
        state.groups.delete(name);
      }
    }
    for (const { key: name, lastSeq, blocked, readSeq, unread, request, rev = 0 } of listed) {
      let group = state.groups.get(name);
      if (!group) {
        group = new Group(name, lastSeq, rev);
        state.groups.set(name, group);
      } else {
        group.members = null; // presence may have changed while we were away; refetched on open
        if (lastSeq > group.seenSeq) {
          await catchUp(group);
        }
        if (rev > group.rev) {
          await catchUpChanges(group);
        }
      }
      group.blocked = blocked ?? false;
      group.request = request ?? false;
      group.readSeq = readSeq;
      // The server's count, which also holds what we read or missed elsewhere.
      group.unread = name === state.selected ? 0 : unread;
    }
    if (!state.selected || !state.groups.has(state.selected)) {
      const remembered = sessionStorage.getItem(GROUP_KEY);
      state.selected = state.groups.has(remembered) ? remembered : (state.groups.keys().next().value ?? null);
      showSelected();
    }
    renderGroupList();
    markShownRead();
  }

  /**
   * Marks the conversation on screen read up to the newest message held, so the user's other tabs and devices
   * drop its unread count too. Never backwards, and at most once a second per conversation: a busy group's
   * messages are marked in one go.
   */
  function markShownRead() {
    const group = state.groups.get(state.selected);
    if (!group || group.readTimer || group.seenSeq <= group.readSeq) {
      return;
    }
    const send = () => {
      group.readTimer = null;
      const seq = group.seenSeq;
      if (!state.online || seq <= group.readSeq) {
        return;
      }
      group.readSentAt = Date.now();
      connection.request('read', { ...targetOf(group.name), seq })
        .then((reply) => { group.readSeq = Math.max(group.readSeq, reply.seq); })
        .catch(reportError);
    };
    const wait = group.readSentAt + READ_EVERY_MS - Date.now();
    if (wait > 0) {
      group.readTimer = setTimeout(send, wait);
    } else {
      send();
    }
  }

  /** Reads every message after the last one seen, page by page, as the protocol's catch-up suggests. */
  async function catchUp(group) {
    for (;;) {
      const from = group.seenSeq;
      const reply = await connection.request('history', { ...targetOf(group.name), after: from, limit: CATCH_UP_PAGE });
      receive(group, reply.messages, true);
      if (!reply.more || group.seenSeq === from) {
        return;
      }
    }
  }

  /**
   * Applies the edits and deletions made while we were away to the messages held. Past what the server still
   * remembers, the held messages are dropped and read again as they are now.
   */
  async function catchUpChanges(group) {
    for (;;) {
      const from = group.rev;
      const reply = await connection.request('changes', { ...targetOf(group.name), after: from, limit: CATCH_UP_PAGE });
      group.rev = Math.max(from, reply.rev);
      if (!reply.complete) {
        group.messages.clear();
        group.loaded = false;
        group.olderMore = true;
        if (group.name === state.selected) {
          showSelected();
          await openGroup(group);
        }
        return;
      }
      for (const message of reply.messages) {
        applyChange(group, message.deleted
          ? { type: 'deleted', seq: message.seq, by: message.deletedBy }
          : { type: 'edited', seq: message.seq, text: message.text, editedAt: message.editedAt });
      }
      if (!reply.more || group.rev === from) {
        return;
      }
    }
  }

  function selectGroup(name) {
    if (name === state.selected) {
      return;
    }
    state.selected = name;
    showSelected();
    renderGroupList();
    openGroup(state.groups.get(name)).catch(reportError);
  }

  /** Redraws the conversation pane for the selected group from what we hold. */
  function showSelected() {
    const { selected } = state;
    const group = state.groups.get(selected);
    if (selected) {
      sessionStorage.setItem(GROUP_KEY, selected);
    }
    if (group) {
      group.unread = 0;
    }
    view.renderConversation(group ? selected : null, { direct: group ? directUser(selected) !== null : false, blocked: group?.blocked });
    view.renderMessages(group ? group.sorted() : [], isOwn);
    if (group) {
      showMembers(group);
    } else {
      view.renderMembers([]);
    }
    view.renderTyping(group ? [...group.typing.keys()] : []);
    renderOutbox();
    view.scrollToBottom();
    markShownRead();
  }

  /** Fetches what an opened group needs: its members, and its newest messages the first time. */
  async function openGroup(group) {
    if (!group) {
      return;
    }
    const loads = [loadMembers(group)];
    if (!group.loaded) {
      loads.push(loadNewest(group));
    }
    await Promise.all(loads);
  }

  async function loadMembers(group) {
    if (directUser(group.name) !== null) {
      group.setMembers([]); // a direct conversation's two users are in its title
      return;
    }
    const reply = await connection.request('members', { group: group.name });
    group.setMembers(reply.members);
    group.role = group.members.get(state.me)?.role ?? group.role;
    if (group.name === state.selected) {
      showMembers(group);
    }
  }

  async function loadNewest(group) {
    const reply = await connection.request('history', targetOf(group.name));
    group.loaded = true;
    group.olderMore = reply.more;
    receive(group, reply.messages, false);
    if (group.name === state.selected) {
      view.scrollToBottom();
      await fillLog(group);
    }
  }

  /** Loads the page before the oldest message shown (scrolled to the top). */
  async function loadOlder(group) {
    const before = group.oldestSeq();
    if (!group.loaded || !group.olderMore || group.loadingOlder || before === undefined) {
      return;
    }
    group.loadingOlder = true;
    try {
      const reply = await connection.request('history', { ...targetOf(group.name), before });
      group.olderMore = reply.more && reply.messages.length > 0;
      const { scrollHeight, scrollTop } = el.log;
      receive(group, reply.messages, false);
      if (group.name === state.selected) {
        el.log.scrollTop = scrollTop + (el.log.scrollHeight - scrollHeight); // keep the view still
      }
    } finally {
      group.loadingOlder = false;
    }
    await fillLog(group);
  }

  /** A log too short to scroll never fires a scroll event, so keep loading until it can. */
  async function fillLog(group) {
    if (group.name === state.selected && el.log.scrollHeight <= el.log.clientHeight && group.olderMore) {
      await loadOlder(group);
    }
  }

  async function joinGroup(name) {
    view.showError('');
    const reply = await connection.request('join', { group: name });
    let group = state.groups.get(reply.group);
    if (!group) {
      group = new Group(reply.group, reply.lastSeq, reply.rev);
      state.groups.set(reply.group, group);
    }
    group.setMembers(reply.members);
    group.role = reply.role;
    group.visibility = reply.visibility;
    el.groupName.value = '';
    selectGroup(reply.group);
    renderGroupList();
  }

  /** Leaves the group on screen, or forgets the direct conversation on screen (its history stays on the server). */
  async function leaveGroup() {
    view.showError('');
    const name = state.selected;
    const user = directUser(name);
    if (user === null) {
      await connection.request('leave', { group: name });
    } else {
      await connection.request('forget', { user });
    }
    forgetGroup(name);
  }

  /** Takes a group off the page (left, removed or deleted), showing the next one if it was on screen. */
  function forgetGroup(name) {
    state.groups.delete(name);
    if (state.selected === name) {
      state.selected = null;
      sessionStorage.removeItem(GROUP_KEY);
      const next = state.groups.keys().next().value;
      if (next) {
        selectGroup(next);
      } else {
        showSelected();
      }
    }
    renderGroupList();
  }

  /**
   * Opens the direct conversation with a user, as typed (the server answers with the registered spelling,
   * or not_found); it appears in the other user's list once the first message is sent.
   */
  async function openDirect(user) {
    view.showError('');
    const reply = await connection.request('history', { with: user, limit: 1 });
    const key = directKey(reply.with);
    if (!state.groups.has(key)) {
      state.groups.set(key, new Group(key, reply.messages.at(-1)?.seq ?? 0));
    }
    el.directUser.value = '';
    selectGroup(key);
    renderGroupList();
  }

  /** Blocks or unblocks the other user of the direct conversation on screen. */
  async function toggleBlock() {
    view.showError('');
    const group = state.groups.get(state.selected);
    const user = group && directUser(group.name);
    if (user === null || user === undefined) {
      return;
    }
    await connection.request(group.blocked ? 'unblock' : 'block', { user });
    group.blocked = !group.blocked;
    view.renderConversation(group.name, { direct: true, blocked: group.blocked });
  }

  function renderGroupList() {
    view.renderGroups(state.groups.values(), state.selected, selectGroup);
  }

  return { syncGroups, selectGroup, openGroup, loadOlder, joinGroup, leaveGroup, forgetGroup, openDirect, toggleBlock, markShownRead, renderGroupList };
}
