// Groups as their owners and admins run them: creating public or private groups, inviting, kicking, banning,
// roles and deletion, and applying what others did (member and group_deleted events) to what the page shows.
// The server checks every action; the buttons only offer what the user's role allows.

import { Group } from './group.js';
import * as view from './view.js';

const { el, reportError } = view;
const RANK = { member: 0, admin: 1, owner: 2 };

/**
 * @param {import('./state.js').ChatState} state
 * @param {import('./connection.js').Connection} connection
 * @param {{selectGroup: (name: string) => void, forgetGroup: (name: string) => void, renderGroupList: () => void}} deps
 *   all from conversations.js
 */
export function createModeration(state, connection, { selectGroup, forgetGroup, renderGroupList }) {
  async function createGroup(name, isPrivate) {
    view.showError('');
    const reply = await connection.request('create', { group: name, visibility: isPrivate ? 'private' : 'public' });
    const group = new Group(reply.group, reply.lastSeq, reply.rev);
    group.role = reply.role;
    group.visibility = reply.visibility;
    group.setMembers(reply.members);
    state.groups.set(reply.group, group);
    el.groupName.value = '';
    selectGroup(reply.group);
    renderGroupList();
  }

  /** The buttons the user's role offers for one member of the group on screen. */
  function actionsFor(group, member) {
    const mine = RANK[group.role] ?? 0;
    if (member.username === state.me || mine < RANK.admin || RANK[member.role] >= mine) {
      return [];
    }
    const actions = [{ action: 'kick', label: 'Kick' }, { action: 'ban', label: 'Ban' }];
    if (member.role === 'member') {
      actions.push({ action: 'promote', label: 'Make admin' });
    } else if (mine === RANK.owner) {
      actions.push({ action: 'demote', label: 'Make member' });
    }
    if (mine === RANK.owner) {
      actions.push({ action: 'transfer', label: 'Make owner' });
    }
    return actions;
  }

  /** Draws the member list of the group on screen with the actions the user may take. */
  function showMembers(group) {
    view.renderMembers(group.sortedMembers(), (member) => actionsFor(group, member), (action, user) => act(action, user).catch(reportError));
    view.renderModeration(RANK[group.role] >= RANK.admin, group.role === 'owner');
  }

  async function act(action, user) {
    view.showError('');
    await connection.request(action, { group: state.selected, user });
    if (action === 'invite') {
      el.inviteUser.value = '';
    }
  }

  async function deleteGroup() {
    view.showError('');
    const name = state.selected;
    await connection.request('delete_group', { group: name });
    forgetGroup(name);
  }

  /** A member event: roles and membership change in the list; our own removal takes the group away. */
  function applyMemberEvent(group, { user, action, by, role }) {
    if (user === state.me && (action === 'kicked' || action === 'banned')) {
      forgetGroup(group.name);
      view.showError(`${by} ${action === 'kicked' ? 'removed you from' : 'banned you from'} ${group.name}`);
      return;
    }
    if (user === state.me) {
      group.role = role;
    }
    if (action === 'owner' && by === state.me) {
      group.role = 'admin'; // handed over: the former owner stays as an admin
    }
    if (group.members) {
      if (action === 'kicked' || action === 'banned') {
        group.members.delete(user);
      } else if (group.members.has(user)) {
        group.members.get(user).role = role;
        if (action === 'owner' && group.members.has(by)) {
          group.members.get(by).role = 'admin';
        }
      }
    }
    if (group.name === state.selected) {
      showMembers(group);
    }
  }

  function applyDeleted(group, by) {
    forgetGroup(group.name);
    view.showError(`${by} deleted ${group.name}`);
  }

  /** An invitation: the group is not ours yet, so say so and put its name where Join takes it. */
  function applyInvitation({ group, by }) {
    view.showError(`${by} invited you to ${group}: press Join to accept`);
    el.groupName.value = group;
  }

  return { createGroup, showMembers, act, deleteGroup, applyMemberEvent, applyDeleted, applyInvitation };
}
