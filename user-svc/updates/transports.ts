import type { ServerResponse } from "node:http";
import type { WebSocket } from "ws";
import type { Transport } from "./client.js";

/**
 * A WebSocket that more than `maxBuffered` bytes wait to reach is dropped at once: its backlog
 * is its own, so a slow reader never holds up the others or grows without bound.
 */
export function webSocketTransport(socket: WebSocket, maxBuffered: number, onDrop: () => void): Transport {
  return {
    kind: "websocket",
    send(_id, message) {
      if (socket.readyState !== socket.OPEN) return false;
      socket.send(JSON.stringify(message));
      if (socket.bufferedAmount <= maxBuffered) return true;
      socket.terminate();
      onDrop();
      return false;
    },
    close(reason) {
      socket.close(1008, reason);
    },
  };
}

/** Server-Sent Events with the same bound: the event id is the stream id, for Last-Event-ID. */
export function sseTransport(res: ServerResponse, maxBuffered: number, onDrop: () => void): Transport {
  return {
    kind: "sse",
    send(id, message) {
      if (res.destroyed || res.writableEnded) return false;
      const head = id === null ? "" : `id: ${id}\n`;
      res.write(`${head}event: ${String(message.type)}\ndata: ${JSON.stringify(message)}\n\n`);
      if (res.writableLength <= maxBuffered) return true;
      res.destroy();
      onDrop();
      return false;
    },
    close(reason) {
      res.end(`event: closed\ndata: ${JSON.stringify({ type: "closed", reason })}\n\n`);
    },
  };
}
