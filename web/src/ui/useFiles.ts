// Files in the room as the page shows them: progress both ways, received images previewed
// from an in-memory Blob's object URL, other files offered for download under their name.
// Nothing is written anywhere: the bytes live in Blobs, and every object URL is revoked when
// the room is left.
import { useEffect, useRef, useState } from "preact/hooks";

import type { ChatEvent, ChatRoom } from "../chat/room.js";

/** Image types previewed in the page; any other file is only offered for download. */
export const PREVIEWED = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export type TransferState = "sending" | "arriving" | "sent" | "received" | "cancelled" | "failed";

export interface Transfer {
  id: string;
  mine: boolean;
  from?: number;
  name: string;
  size: number;
  mime: string;
  done: number;
  state: TransferState;
  /** The received file's object URL. */
  url?: string;
  image?: boolean;
  reason?: string;
  /** Members who declined this member's file. */
  declinedBy?: number[];
}

export interface FilesView {
  transfers: Map<string, Transfer>;
  send(files: Iterable<File>): void;
  cancel(id: string): void;
}

export function useFiles(room: ChatRoom): FilesView {
  const [transfers, setTransfers] = useState(new Map<string, Transfer>());
  const urls = useRef<string[]>([]);

  useEffect(() => {
    const update = (id: string, change: Partial<Transfer>) =>
      setTransfers((all) => {
        const found = all.get(id);
        return found === undefined ? all : new Map(all).set(id, { ...found, ...change });
      });
    const add = (transfer: Transfer) => setTransfers((all) => new Map(all).set(transfer.id, transfer));
    const onEvent = (event: ChatEvent) => {
      switch (event.kind) {
        case "fileSending":
          add({ id: event.id, mine: true, from: room.me, name: event.name, size: event.size, mime: event.mime, done: 0, state: "sending" });
          break;
        case "fileOffered":
          add({ id: event.id, mine: false, from: event.from, name: event.name, size: event.size, mime: event.mime, done: 0, state: "arriving" });
          break;
        case "fileProgress":
        case "fileSendProgress":
          update(event.id, { done: event.done });
          break;
        case "fileDeclined":
          setTransfers((all) => {
            const found = all.get(event.id);
            const declinedBy = [...(found?.declinedBy ?? []), event.by];
            return found === undefined ? all : new Map(all).set(event.id, { ...found, declinedBy });
          });
          break;
        case "fileSent":
          update(event.id, { state: "sent" });
          break;
        case "fileReceived": {
          const image = PREVIEWED.has(event.mime);
          // Any other type is handed over as bytes only, never rendered by the browser.
          const blob = new Blob([event.bytes as Uint8Array<ArrayBuffer>], { type: image ? event.mime : "application/octet-stream" });
          const url = URL.createObjectURL(blob);
          urls.current.push(url);
          update(event.id, { state: "received", done: event.bytes.length, url, image });
          break;
        }
        case "fileCancelled":
        case "fileSendCancelled":
          update(event.id, { state: "cancelled" });
          break;
        case "fileFailed":
        case "fileSendFailed":
          update(event.id, { state: "failed", reason: event.reason });
          break;
        default:
          break;
      }
    };
    const unlisten = room.listen(onEvent);
    return () => {
      unlisten();
      for (const url of urls.current.splice(0)) URL.revokeObjectURL(url);
    };
  }, [room]);

  return {
    transfers,
    send: (files) => {
      for (const file of files) room.sendFile(file, file.name, file.type);
    },
    cancel: (id) => room.cancelFile(id),
  };
}
