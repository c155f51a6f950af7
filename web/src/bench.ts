// MLS costs measured in the browser itself (served at /bench.html; the browser test reads
// the results): encrypting and decrypting a 1 KiB application message, and a join into a
// room of 50 (the joiner's KeyPackage, the adding commit and its Welcome, the Welcome
// processed, and every other member processing the commit). Everything stays in memory.
import {
  createApplicationMessage,
  createCommit,
  createGroup,
  decodeMlsMessage,
  emptyPskIndex,
  encodeMlsMessage,
  joinGroup,
  makePskIndex,
  processPrivateMessage,
  type ClientState,
  type PrivateMessage,
} from "ts-mls";

import { cipherSuite, clientConfig } from "./mls/config.js";
import { encodeAppMessage } from "./mls/content.js";
import { generateDirectKeys } from "./mls/direct.js";
import { makeKeyPackage, type OwnKeyPackage } from "./mls/identity.js";
import { RoomKeys } from "./mls/secrets.js";

const cs = await cipherSuite();
const keys = new RoomKeys(crypto.getRandomValues(new Uint8Array(16)));

async function member(number: number): Promise<OwnKeyPackage> {
  return makeKeyPackage(number, await generateDirectKeys(), await cs.signature.keygen(), cs);
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await run();
  return [value, performance.now() - start];
}

/** A group of `size` members: the creator's state, and every other member's. */
async function group(size: number): Promise<{ creator: ClientState; others: ClientState[] }> {
  const first = await member(1000);
  let creator = await createGroup(keys.newGroupId(), first.publicPackage, first.privatePackage, [], cs, clientConfig);
  const joiners = await Promise.all(Array.from({ length: size - 1 }, (_, i) => member(1001 + i)));
  const added = await createCommit(
    { state: creator, cipherSuite: cs },
    {
      extraProposals: joiners.map((j) => ({ proposalType: "add" as const, add: { keyPackage: j.publicPackage } })),
      ratchetTreeExtension: true,
    },
  );
  creator = added.newState;
  const others = [];
  for (const j of joiners) {
    others.push(await joinGroup(added.welcome!, j.publicPackage, j.privatePackage, emptyPskIndex, cs, undefined, undefined, clientConfig));
  }
  return { creator, others };
}

async function oneKib(): Promise<{ encryptMs: number; decryptMs: number; bytes: number }> {
  let { creator, others } = await group(2);
  let reader = others[0]!;
  const payload = encodeAppMessage({ ttlSecs: 0, content: { kind: "text", text: "x".repeat(1024 - 9) } });
  const rounds = 200;
  const sealed: PrivateMessage[] = [];
  const [, encryptMs] = await timed(async () => {
    for (let i = 0; i < rounds; i++) {
      const result = await createApplicationMessage(creator, payload, cs);
      creator = result.newState;
      sealed.push(result.privateMessage);
    }
  });
  const [, decryptMs] = await timed(async () => {
    for (const message of sealed) {
      reader = (await processPrivateMessage(reader, message, makePskIndex(reader, {}), cs)).newState;
    }
  });
  const bytes = encodeMlsMessage({ version: "mls10", wireformat: "mls_private_message", privateMessage: sealed[0]! }).length;
  return { encryptMs: encryptMs / rounds, decryptMs: decryptMs / rounds, bytes };
}

async function joinInto(size: number) {
  const { creator, others } = await group(size - 1);
  const [joiner, keyPackageMs] = await timed(() => member(2000));
  const [added, commitMs] = await timed(() =>
    createCommit(
      { state: creator, cipherSuite: cs },
      { extraProposals: [{ proposalType: "add", add: { keyPackage: joiner.publicPackage } }], ratchetTreeExtension: true },
    ),
  );
  const [, welcomeMs] = await timed(() =>
    joinGroup(added.welcome!, joiner.publicPackage, joiner.privatePackage, emptyPskIndex, cs, undefined, undefined, clientConfig),
  );
  const commit = decodeMlsMessage(encodeMlsMessage(added.commit), 0)![0];
  if (commit.wireformat !== "mls_private_message") throw new Error("a commit that is not a PrivateMessage");
  let slowestMemberMs = 0;
  let allMembersMs = 0;
  for (const other of others) {
    const [, ms] = await timed(() => processPrivateMessage(other, commit.privateMessage, makePskIndex(other, {}), cs));
    slowestMemberMs = Math.max(slowestMemberMs, ms);
    allMembersMs += ms;
  }
  return { size, keyPackageMs, commitMs, welcomeMs, slowestMemberMs, allMembersMs };
}

const results = document.getElementById("results")!;
try {
  const report = { userAgent: navigator.userAgent, oneKib: await oneKib(), join: await joinInto(50) };
  results.textContent = JSON.stringify(report, null, 2);
  results.dataset.state = "done";
} catch (error) {
  results.textContent = String(error);
  results.dataset.state = "failed";
}
