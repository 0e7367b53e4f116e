// The groups and the one on screen: the list is kept in line with the server after every session
// start (catching up whatever moved on meanwhile), and history is fetched only when a group is opened.

import { Group } from './group.js';
import { GROUP_KEY } from './state.js';
import * as view from './view.js';

const { el, reportError } = view;
const CATCH_UP_PAGE = 200;

/**
 * @param {import('./state.js').ChatState} state
 * @param {import('./connection.js').Connection} connection
 * @param {{receive: (group: Group, messages: object[], isNew: boolean) => void,
 *          isOwn: (message: object) => boolean, renderOutbox: () => void}} deps
 *   receive and isOwn from messages.js, renderOutbox from outbox.js
 */
export function createConversations(state, connection, { receive, isOwn, renderOutbox }) {
  /** Brings the group list in line with the server and catches up every group that moved on. */
  async function syncGroups() {
    const reply = await connection.request('groups');
    const current = new Set(reply.groups.map((g) => g.group));
    for (const name of state.groups.keys()) {
      if (!current.has(name)) {
        state.groups.delete(name); // left on another device
      }
    }
    for (const { group: name, lastSeq } of reply.groups) {
      const group = state.groups.get(name);
      if (!group) {
        state.groups.set(name, new Group(name, lastSeq));
      } else {
        group.members = null; // presence may have changed while we were away; refetched on open
        if (lastSeq > group.seenSeq) {
          await catchUp(group);
        }
      }
    }
    if (!state.selected || !state.groups.has(state.selected)) {
      const remembered = sessionStorage.getItem(GROUP_KEY);
      state.selected = state.groups.has(remembered) ? remembered : (state.groups.keys().next().value ?? null);
      showSelected();
    }
    renderGroupList();
  }

  /** Reads every message after the last one seen, page by page, as the protocol's catch-up suggests. */
  async function catchUp(group) {
    for (;;) {
      const from = group.seenSeq;
      const reply = await connection.request('history', { group: group.name, after: from, limit: CATCH_UP_PAGE });
      receive(group, reply.messages, true);
      if (!reply.more || group.seenSeq === from) {
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
    view.renderConversation(group ? selected : null);
    view.renderMessages(group ? group.sorted() : [], isOwn);
    view.renderMembers(group ? group.sortedMembers() : []);
    view.renderTyping(group ? [...group.typing.keys()] : []);
    renderOutbox();
    view.scrollToBottom();
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
    const reply = await connection.request('members', { group: group.name });
    group.setMembers(reply.members);
    if (group.name === state.selected) {
      view.renderMembers(group.sortedMembers());
    }
  }

  async function loadNewest(group) {
    const reply = await connection.request('history', { group: group.name });
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
      const reply = await connection.request('history', { group: group.name, before });
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
      group = new Group(reply.group, reply.lastSeq);
      state.groups.set(reply.group, group);
    }
    group.setMembers(reply.members);
    el.groupName.value = '';
    selectGroup(reply.group);
    renderGroupList();
  }

  async function leaveGroup() {
    view.showError('');
    const name = state.selected;
    await connection.request('leave', { group: name });
    state.groups.delete(name);
    state.selected = null;
    sessionStorage.removeItem(GROUP_KEY);
    const next = state.groups.keys().next().value;
    if (next) {
      selectGroup(next);
    } else {
      showSelected();
    }
    renderGroupList();
  }

  function renderGroupList() {
    view.renderGroups(state.groups.values(), state.selected, selectGroup);
  }

  return { syncGroups, selectGroup, openGroup, loadOlder, joinGroup, leaveGroup, renderGroupList };
}
