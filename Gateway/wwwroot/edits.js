// Editing and deleting stored messages: the author edits and deletes, a group's owner or admin deletes any;
// the server checks and tells everyone (edited and deleted events), and every message keeps its place.

import { directUser, targetOf } from './targets.js';
import * as view from './view.js';

const { reportError } = view;

/**
 * @param {import('./state.js').ChatState} state
 * @param {import('./connection.js').Connection} connection
 * @param {{isOwn: (message: object) => boolean}} messages from messages.js
 */
export function createEdits(state, connection, { isOwn }) {
  const selectedGroup = () => state.groups.get(state.selected);
  const moderates = () => {
    const group = selectedGroup();
    return !!group && directUser(group.name) === null && (group.role === 'owner' || group.role === 'admin');
  };

  function edit(message) {
    const text = window.prompt('Edit message', message.text);
    if (text === null || text === message.text || !text.trim()) {
      return;
    }
    view.showError('');
    connection.request('edit', { ...targetOf(state.selected), seq: message.seq, text }).catch(reportError);
  }

  function remove(message) {
    view.showError('');
    connection.request('delete', { ...targetOf(state.selected), seq: message.seq }).catch(reportError);
  }

  /** An edited or deleted event: the message held at that seq takes its new state (older ones come from history as they are). */
  function apply(group, frame) {
    const message = group.messages.get(frame.seq);
    if (!message) {
      return;
    }
    if (frame.type === 'deleted') {
      Object.assign(message, { text: '', deleted: true, deletedBy: frame.by });
    } else {
      Object.assign(message, { text: frame.text, edited: true, editedAt: frame.editedAt });
    }
    if (group.name === state.selected) {
      view.replaceMessage(message, isOwn(message));
    }
  }

  view.setMessageActions({
    canEdit: (message) => isOwn(message),
    canDelete: (message) => isOwn(message) || moderates(),
    edit,
    remove,
  });

  return { apply };
}
