// The yardstick of Performance 2: a single-threaded in-memory chat server in Node.js (ws), speaking the part
// of the protocol the load generator uses (register, login, auth, join, groups, publish, ping). Accounts are
// taken as they come and seqs are counters in memory; each message is encoded once and sent to every member.
//
//   node bench/node/yardstick.mjs --port 5300
import http from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 5300);
const groups = new Map(); // name -> { seq, members: Set<socket> }
const memberships = new Map(); // user -> Set<group name>

const server = http.createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('ok');
});
const sockets = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });

const reply = (socket, id, fields) => {
  if (id !== undefined && id !== null) {
    socket.send(JSON.stringify({ type: 'ok', id, ...fields }));
  }
};

sockets.on('connection', (socket) => {
  let user = '';
  const joined = new Set();
  socket.on('message', (data) => {
    let request;
    try {
      request = JSON.parse(data.toString());
    } catch {
      socket.send('{"type":"error","code":"bad_request","message":"the frame is not valid JSON"}');
      return;
    }
    const { id } = request;
    switch (request.type) {
      case 'register':
        reply(socket, id, { userId: request.username, username: request.username });
        break;
      case 'login':
        user = request.username;
        reply(socket, id, { token: user, userId: user, username: user, expiresAt: '2099-01-01T00:00:00.000Z' });
        break;
      case 'auth':
        user = request.token;
        reply(socket, id, { userId: user, username: user });
        break;
      case 'join': {
        let group = groups.get(request.group);
        if (!group) {
          group = { seq: 0, members: new Set() };
          groups.set(request.group, group);
        }
        group.members.add(socket);
        joined.add(group);
        if (!memberships.has(user)) {
          memberships.set(user, new Set());
        }
        memberships.get(user).add(request.group);
        reply(socket, id, { group: request.group, lastSeq: group.seq, members: [] });
        break;
      }
      case 'groups':
        reply(socket, id, { groups: [...(memberships.get(user) ?? [])].map((name) => ({ group: name, lastSeq: groups.get(name).seq })) });
        break;
      case 'publish': {
        const group = groups.get(request.group);
        const seq = ++group.seq;
        const ts = new Date().toISOString();
        reply(socket, id, { group: request.group, seq, ts });
        const frame = JSON.stringify({ type: 'message', group: request.group, seq, from: user, text: request.text, ts, clientMsgId: request.clientMsgId ?? null });
        for (const member of group.members) {
          member.send(frame);
        }
        break;
      }
      default:
        socket.send(JSON.stringify(id === undefined ? { type: 'pong' } : { type: 'pong', id }));
    }
  });
  socket.on('close', () => {
    for (const group of joined) {
      group.members.delete(socket);
    }
  });
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
