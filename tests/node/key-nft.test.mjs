// An independent client against the AnoGhost localnet: @solana/web3.js, @solana/spl-token
// and @solana/spl-token-metadata, as a wallet or dApp would use them.
//
// Run by tests/tests/node_client.rs, which starts a localnet and a gateway, has the gateway
// mint a key NFT, and passes:
//   ANOGHOST_RPC_URL, ANOGHOST_WS_URL   the localnet's JSON-RPC and PubSub endpoints
//   ANOGHOST_KEY_MINT                   the key's mint address
//   ANOGHOST_HOLDER_KEYPAIR             the key's one-time holder keypair (Solana CLI JSON)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import {
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from '@solana/web3.js';
import {
  ExtensionType,
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAccount,
  getAssociatedTokenAddressSync,
  getExtensionData,
  getExtensionTypes,
  getMint,
} from '@solana/spl-token';
import { unpack as unpackTokenMetadata } from '@solana/spl-token-metadata';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through cargo test (tests/tests/node_client.rs)`);
  return value;
}

const connection = new Connection(required('ANOGHOST_RPC_URL'), {
  commitment: 'confirmed',
  wsEndpoint: required('ANOGHOST_WS_URL'),
});
const mint = new PublicKey(required('ANOGHOST_KEY_MINT'));
const holder = Keypair.fromSecretKey(
  Uint8Array.from(JSON.parse(readFileSync(required('ANOGHOST_HOLDER_KEYPAIR'), 'utf8'))),
);

async function airdrop(to, lamports) {
  const signature = await connection.requestAirdrop(to, lamports);
  const latest = await connection.getLatestBlockhash();
  // Confirms over the PubSub signatureSubscribe, as wallets do.
  const { value } = await connection.confirmTransaction({ signature, ...latest });
  assert.equal(value.err, null);
}

test('airdrop and a SOL transfer land, and getTransaction reports them', async () => {
  const alice = Keypair.generate();
  const bob = Keypair.generate();
  await airdrop(alice.publicKey, 2 * LAMPORTS_PER_SOL);
  assert.equal(await connection.getBalance(alice.publicKey), 2 * LAMPORTS_PER_SOL);

  const transfer = new Transaction().add(
    SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: bob.publicKey, lamports: 123_456_789 }),
  );
  const signature = await sendAndConfirmTransaction(connection, transfer, [alice]);
  assert.equal(await connection.getBalance(bob.publicKey), 123_456_789);
  assert.equal(await connection.getBalance(alice.publicKey), 2 * LAMPORTS_PER_SOL - 123_456_789 - 5_000);

  const landed = await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
  assert.equal(landed.meta.err, null);
  assert.equal(landed.meta.fee, 5_000);
  assert.equal(landed.transaction.signatures[0], signature);
});

test('the key NFT minted by the gateway decodes: soulbound, constant name, fixed-size room and invite fields', async () => {
  const mintInfo = await getMint(connection, mint, 'confirmed', TOKEN_2022_PROGRAM_ID);
  assert.equal(mintInfo.supply, 1n);
  assert.equal(mintInfo.decimals, 0);
  assert.equal(mintInfo.mintAuthority, null, 'no more keys can be minted');
  const extensions = getExtensionTypes(mintInfo.tlvData);
  assert.ok(extensions.includes(ExtensionType.NonTransferable), `extensions: ${extensions}`);
  assert.ok(extensions.includes(ExtensionType.MetadataPointer));

  const metadata = unpackTokenMetadata(getExtensionData(ExtensionType.TokenMetadata, mintInfo.tlvData));
  assert.ok(metadata.mint.equals(mint));
  assert.equal(metadata.name, 'AnoGhost key', 'no room name on chain');
  const fields = Object.fromEntries(metadata.additionalMetadata);
  assert.deepEqual(Object.keys(fields).sort(), ['invite', 'room']);
  // The room binding (key id and HMAC) and the HPKE-sealed invite: fixed sizes for every key.
  assert.equal(Buffer.from(fields.room, 'base64').length, 33);
  assert.equal(Buffer.from(fields.invite, 'base64').length, 97);

  const holding = getAssociatedTokenAddressSync(mint, holder.publicKey, false, TOKEN_2022_PROGRAM_ID);
  const account = await getAccount(connection, holding, 'confirmed', TOKEN_2022_PROGRAM_ID);
  assert.equal(account.amount, 1n);

  const parsed = await connection.getParsedTokenAccountsByOwner(holder.publicKey, { programId: TOKEN_2022_PROGRAM_ID });
  const listed = parsed.value.map(({ account }) => account.data.parsed.info.mint);
  assert.ok(listed.includes(mint.toBase58()), `the wallet lists its key: ${listed}`);
});

test('transferring the key fails: it is soulbound', async () => {
  await airdrop(holder.publicKey, LAMPORTS_PER_SOL);
  const thief = Keypair.generate();
  const source = getAssociatedTokenAddressSync(mint, holder.publicKey, false, TOKEN_2022_PROGRAM_ID);
  const destination = getAssociatedTokenAddressSync(mint, thief.publicKey, false, TOKEN_2022_PROGRAM_ID);
  const transfer = new Transaction().add(
    createAssociatedTokenAccountIdempotentInstruction(holder.publicKey, destination, thief.publicKey, mint, TOKEN_2022_PROGRAM_ID),
    createTransferCheckedInstruction(source, mint, destination, holder.publicKey, 1n, 0, [], TOKEN_2022_PROGRAM_ID),
  );
  await assert.rejects(sendAndConfirmTransaction(connection, transfer, [holder]), (error) => {
    assert.match(String(error.message), /Transaction simulation failed/);
    // Token-2022's NonTransferable error (0x25), not some other failure.
    assert.match(String(error.message), /custom program error: 0x25/);
    assert.ok(error.logs.some((line) => line.includes('Transfer is disabled for this mint')), error.logs.join('\n'));
    return true;
  });
  const account = await getAccount(connection, source, 'confirmed', TOKEN_2022_PROGRAM_ID);
  assert.equal(account.amount, 1n, 'the key has not moved');
});
