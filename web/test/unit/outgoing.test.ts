// The sending side of files (src/files/outgoing.ts) against a fake room: what it sends is
// what the receiver reassembles; a sender's cancel ends with a cancel part; declines from
// every member offered the file stop it.
import { describe, expect, it } from "vitest";

import { Receiving } from "../../src/files/incoming.js";
import { Outgoing, Pacer, type FileLink, type OutgoingEvent } from "../../src/files/outgoing.js";
import { decodeAppMessage, encodeAppMessage } from "../../src/mls/content.js";
import { CHUNK_SIZE, type FilePart } from "../../src/mls/fileContent.js";
import { DEFAULT_MAX_FILE_BYTES } from "../../src/mls/settings.js";

function fakeRoom(onPart: (part: FilePart, sent: FilePart[]) => void = () => undefined) {
  const sent: FilePart[] = [];
  const events: OutgoingEvent[] = [];
  const link: FileLink = {
    pacer: new Pacer(10_000),
    maxFileBytes: () => DEFAULT_MAX_FILE_BYTES,
    recipients: () => [2, 3],
    whenSendable: () => Promise.resolve(),
    sendPart: (part) => {
      // Through the wire format, as the group would carry it.
      const message = decodeAppMessage(encodeAppMessage({ ttlSecs: 0, content: { kind: "file", part } }));
      if (message.content.kind !== "file") throw new Error("not a file part");
      sent.push(message.content.part);
      onPart(message.content.part, sent);
      return Promise.resolve();
    },
    emit: (event) => events.push(event),
  };
  return { link, sent, events };
}

const fileOf = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);

describe("sending a file", () => {
  it("sends a manifest and its chunks, which the receiver reassembles", async () => {
    const { link, sent, events } = fakeRoom();
    const bytes = fileOf(2 * CHUNK_SIZE + 100);
    await new Outgoing(link, new Blob([bytes]), "../../etc/photo.png", "image/png").done;
    expect(sent.map((p) => p.kind)).toEqual(["manifest", "chunk", "chunk", "chunk"]);
    expect(events.at(-1)?.kind).toBe("fileSent");
    const receiving = new Receiving();
    const got = sent.flatMap((part) => receiving.onPart(1, part, DEFAULT_MAX_FILE_BYTES)).at(-1);
    expect(got).toMatchObject({ kind: "fileReceived", name: "photo.png", mime: "image/png" });
    if (got?.kind === "fileReceived") expect(got.bytes).toEqual(bytes);
  });

  it("refuses a file over the room's limit before sending anything", async () => {
    const { link, sent, events } = fakeRoom();
    await new Outgoing({ ...link, maxFileBytes: () => 10 }, new Blob([fileOf(11)]), "a.bin", "").done;
    expect(sent).toEqual([]);
    expect(events.at(-1)?.kind).toBe("fileSendFailed");
  });

  it("a cancel by the sender ends with a cancel part", async () => {
    let outgoing: Outgoing | undefined;
    const { link, sent, events } = fakeRoom((part) => {
      if (part.kind === "chunk" && part.index === 0) outgoing?.cancel();
    });
    outgoing = new Outgoing(link, new Blob([fileOf(5 * CHUNK_SIZE)]), "big.bin", "");
    await outgoing.done;
    expect(sent.map((p) => p.kind)).toEqual(["manifest", "chunk", "cancel"]);
    expect(events.at(-1)?.kind).toBe("fileSendCancelled");
  });

  it("stops once every member offered the file declined it", async () => {
    let outgoing: Outgoing | undefined;
    const { link, sent, events } = fakeRoom((part) => {
      if (part.kind !== "manifest") return;
      outgoing?.onDeclined(2);
      outgoing?.onDeclined(9); // never offered it: nothing
      outgoing?.onMemberGone(3);
    });
    outgoing = new Outgoing(link, new Blob([fileOf(5 * CHUNK_SIZE)]), "big.bin", "");
    await outgoing.done;
    expect(sent.map((p) => p.kind)).toEqual(["manifest"]);
    expect(events.filter((e) => e.kind === "fileDeclined")).toEqual([{ kind: "fileDeclined", id: outgoing.id, by: 2 }]);
    expect(events.at(-1)).toMatchObject({ kind: "fileSendFailed", reason: "nobody left to receive the file" });
  });
});
