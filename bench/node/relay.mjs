// The Node `ws` relay the gateway is measured against: the same subset of the gateway
// protocol (hello, room_create, room_join, room_leave, relay frames) and the same room
// semantics, written the way most chat prototypes are.
//
//   node bench/node/relay.mjs [port]     prints "listening on 127.0.0.1:PORT"
import { WebSocketServer } from 'ws';

const rooms = new Map(); // room -> Map(member -> socket)
const codes = new Map(); // code -> room
let nextRoom = 0;

const server = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0), perMessageDeflate: false });
server.on('listening', () => {
  const { address, port } = server.address();
  console.log(`listening on ${address}:${port}`);
});

function leave(room, member) {
  const members = rooms.get(room);
  if (!members) return;
  members.delete(member);
  if (members.size === 0) {
    rooms.delete(room);
    for (const [code, r] of codes) if (r === room) codes.delete(code);
  }
}

server.on('connection', (socket) => {
  const joined = new Map(); // room -> member
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      if (data.length < 6 || data[0] !== 2) return;
      const room = data.readUInt32BE(1);
      const sender = joined.get(room);
      const members = rooms.get(room);
      if (sender === undefined || !members) return;
      const out = Buffer.allocUnsafe(data.length + 2);
      data.copy(out, 0, 0, 5);
      out.writeUInt16BE(sender, 5);
      data.copy(out, 7, 5);
      for (const [member, other] of members) if (member !== sender) other.send(out, { binary: true });
      return;
    }
    let request;
    try { request = JSON.parse(data.toString()); } catch { return; }
    let reply;
    switch (request.type) {
      case 'hello':
        // The gateway's challenge is random; this relay checks no proof, so any will do.
        reply = { type: 'welcome', v: 2, challenge: '11111111111111111111111111111111' };
        break;
      case 'room_create': {
        const room = ++nextRoom;
        const code = String(room % 1_000_000).padStart(6, '0');
        codes.set(code, room);
        rooms.set(room, new Map([[1000, socket]]));
        joined.set(room, 1000);
        reply = { type: 'joined', room, code, member: 1000, members: [] };
        break;
      }
      case 'room_join': {
        const room = codes.get(request.code);
        const members = room && rooms.get(room);
        if (!members) { reply = { type: 'error', code: 'room_not_found' }; break; }
        const member = 1000 + members.size;
        const others = [...members.keys()];
        for (const other of members.values()) other.send(JSON.stringify({ type: 'member_joined', room, member }));
        members.set(member, socket);
        joined.set(room, member);
        reply = { type: 'joined', room, code: request.code, member, members: others };
        break;
      }
      case 'room_leave': {
        const member = joined.get(request.room);
        if (member !== undefined) { leave(request.room, member); joined.delete(request.room); }
        reply = { type: 'left', room: request.room };
        break;
      }
      default:
        reply = { type: 'error', code: 'bad_message' };
    }
    socket.send(JSON.stringify(reply));
  });
  socket.on('close', () => { for (const [room, member] of joined) leave(room, member); });
});
