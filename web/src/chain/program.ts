// The `anoghost` program from the browser (docs/program.md): its addresses, the instructions
// the page signs, and the accounts it reads, in the layouts of
// program-client/src/{pda,instructions,accounts}.rs and idl/anoghost.json. The shared
// vectors (test/vectors/paid.json) hold the Rust builders' bytes for fixed inputs, and a unit
// test checks that these builders produce the same.
import {
  AccountRole,
  address,
  fixDecoderSize,
  fixEncoderSize,
  getAddressDecoder,
  getAddressEncoder,
  getBooleanDecoder,
  getBytesDecoder,
  getBytesEncoder,
  getI64Decoder,
  getI64Encoder,
  getOptionDecoder,
  getProgramDerivedAddress,
  getStructDecoder,
  getStructEncoder,
  getU16Decoder,
  getU16Encoder,
  getU64Decoder,
  getU64Encoder,
  getU8Decoder,
  type Address,
  type Instruction,
  type Option,
} from "@solana/kit";
import { SYSTEM_PROGRAM_ADDRESS } from "@solana-program/system";
import { TOKEN_2022_PROGRAM_ADDRESS, findAssociatedTokenPda } from "@solana-program/token-2022";
import { sha256 } from "@noble/hashes/sha2.js";

import { concat, utf8 } from "../mls/bytes.js";

/** The program's id (`anoghost::ID`; the vectors check it against the Rust crate). */
export const PROGRAM_ID = address("5tsoq7CPtUVda1jWoZZfjhBqgsw23UdJLpZibCrfGAH1");

const addressBytes = getAddressEncoder();

async function pda(...seeds: (string | Uint8Array)[]): Promise<Address> {
  const [found] = await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds });
  return found;
}

/** The program config, `["config"]`. */
export const configAddress = () => pda("config");
/** The key authority, `["key_authority"]`: mint, metadata and close authority of keys. */
export const keyAuthorityAddress = () => pda("key_authority");
/** A room escrow, `["escrow", payer, nonce]`. */
export const escrowAddress = (payer: Address, nonce: Uint8Array) => pda("escrow", addressBytes.encode(payer) as Uint8Array, nonce);
/** The key mint of a holder, `["key", holder]`: a holder has at most one key. */
export const keyMintAddress = (holder: Address) => pda("key", addressBytes.encode(holder) as Uint8Array);
/** A claimable payment, `["payment", claim key]`. */
export const paymentAddress = (claimKey: Address) => pda("payment", addressBytes.encode(claimKey) as Uint8Array);

/** The holder's Token-2022 associated token account for its key. */
export async function keyTokenAccount(holder: Address, mint: Address): Promise<Address> {
  const [found] = await findAssociatedTokenPda({ owner: holder, mint, tokenProgram: TOKEN_2022_PROGRAM_ADDRESS });
  return found;
}

/** Anchor's instruction discriminator: SHA-256("global:<name>")[..8]. */
export const instructionDiscriminator = (name: string) => sha256(utf8(`global:${name}`)).slice(0, 8);
/** Anchor's account discriminator: SHA-256("account:<Name>")[..8]. */
export const accountDiscriminator = (name: string) => sha256(utf8(`account:${name}`)).slice(0, 8);

const meta = (addr: Address, role: AccountRole) => ({ address: addr, role });
const bytes32 = fixEncoderSize(getBytesEncoder(), 32);

function programInstruction(accounts: { address: Address; role: AccountRole }[], data: Uint8Array): Instruction {
  return { programAddress: PROGRAM_ID, accounts, data };
}

/** `room_deposit(nonce, keys)`: `payer` funds an escrow for `keys` keys. */
export async function roomDeposit(payer: Address, nonce: Uint8Array, keys: number): Promise<Instruction> {
  const args = getStructEncoder([
    ["nonce", bytes32],
    ["keys", getU16Encoder()],
  ]).encode({ nonce, keys });
  return programInstruction(
    [
      meta(payer, AccountRole.WRITABLE_SIGNER),
      meta(await configAddress(), AccountRole.READONLY),
      meta(await escrowAddress(payer, nonce), AccountRole.WRITABLE),
      meta(SYSTEM_PROGRAM_ADDRESS, AccountRole.READONLY),
    ],
    concat(instructionDiscriminator("room_deposit"), args as Uint8Array),
  );
}

/** `payment_deposit(claim key, amount, expiry)`: `depositor` locks lamports for a claim key. */
export async function paymentDeposit(depositor: Address, claimKey: Address, amount: bigint, expiry: bigint): Promise<Instruction> {
  const args = getStructEncoder([
    ["claimKey", getAddressEncoder()],
    ["amount", getU64Encoder()],
    ["expiry", getI64Encoder()],
  ]).encode({ claimKey, amount, expiry });
  return programInstruction(
    [
      meta(depositor, AccountRole.WRITABLE_SIGNER),
      meta(await configAddress(), AccountRole.READONLY),
      meta(await paymentAddress(claimKey), AccountRole.WRITABLE),
      meta(SYSTEM_PROGRAM_ADDRESS, AccountRole.READONLY),
    ],
    concat(instructionDiscriminator("payment_deposit"), args as Uint8Array),
  );
}

/** `payment_claim`: the claim key pays the payment to `recipient`; the rent goes back to `depositor`. */
export async function paymentClaim(claimKey: Address, recipient: Address, depositor: Address): Promise<Instruction> {
  return programInstruction(
    [
      meta(claimKey, AccountRole.READONLY_SIGNER),
      meta(await paymentAddress(claimKey), AccountRole.WRITABLE),
      meta(recipient, AccountRole.WRITABLE),
      meta(depositor, AccountRole.WRITABLE),
    ],
    instructionDiscriminator("payment_claim"),
  );
}

/** `payment_reclaim`: `depositor` takes back an expired payment. */
export async function paymentReclaim(depositor: Address, claimKey: Address): Promise<Instruction> {
  return programInstruction(
    [meta(depositor, AccountRole.WRITABLE_SIGNER), meta(await paymentAddress(claimKey), AccountRole.WRITABLE)],
    instructionDiscriminator("payment_reclaim"),
  );
}

/** `key_burn`: `holder` burns its key; both rents go to the gateway authority, which pays the fee. */
export async function keyBurn(holder: Address, gatewayAuthority: Address): Promise<Instruction> {
  const mint = await keyMintAddress(holder);
  return programInstruction(
    [
      meta(holder, AccountRole.READONLY_SIGNER),
      meta(await configAddress(), AccountRole.READONLY),
      meta(await keyAuthorityAddress(), AccountRole.READONLY),
      meta(mint, AccountRole.WRITABLE),
      meta(await keyTokenAccount(holder, mint), AccountRole.WRITABLE),
      meta(gatewayAuthority, AccountRole.WRITABLE),
      meta(TOKEN_2022_PROGRAM_ADDRESS, AccountRole.READONLY),
    ],
    instructionDiscriminator("key_burn"),
  );
}

export interface ProgramConfig {
  admin: Address;
  pendingAdmin: Option<Address>;
  gatewayAuthority: Address;
  treasury: Address;
  pricePerKey: bigint;
  refundTimeoutSecs: bigint;
  paused: boolean;
  bump: number;
}

export interface RoomEscrow {
  payer: Address;
  nonce: Uint8Array;
  keys: number;
  pricePerKey: bigint;
  amount: bigint;
  /** 0: open, 1: locked for minting. */
  state: number;
  lockedKeys: number;
  refundableAt: bigint;
  bump: number;
  /** The gateway's random id for its lock (zeros while open). */
  lockId: Uint8Array;
}

export interface PaymentVault {
  depositor: Address;
  claimKey: Address;
  amount: bigint;
  expiry: bigint;
  bump: number;
}

const configDecoder = getStructDecoder([
  ["admin", getAddressDecoder()],
  ["pendingAdmin", getOptionDecoder(getAddressDecoder())],
  ["gatewayAuthority", getAddressDecoder()],
  ["treasury", getAddressDecoder()],
  ["pricePerKey", getU64Decoder()],
  ["refundTimeoutSecs", getI64Decoder()],
  ["paused", getBooleanDecoder()],
  ["bump", getU8Decoder()],
]);

const escrowDecoder = getStructDecoder([
  ["payer", getAddressDecoder()],
  ["nonce", fixDecoderSize(getBytesDecoder(), 32)],
  ["keys", getU16Decoder()],
  ["pricePerKey", getU64Decoder()],
  ["amount", getU64Decoder()],
  ["state", getU8Decoder()],
  ["lockedKeys", getU16Decoder()],
  ["refundableAt", getI64Decoder()],
  ["bump", getU8Decoder()],
  ["lockId", fixDecoderSize(getBytesDecoder(), 16)],
]);

const paymentDecoder = getStructDecoder([
  ["depositor", getAddressDecoder()],
  ["claimKey", getAddressDecoder()],
  ["amount", getU64Decoder()],
  ["expiry", getI64Decoder()],
  ["bump", getU8Decoder()],
]);

export class NotAProgramAccount extends Error {}

/** The account's fields after its owner and discriminator are checked. */
function programAccount<T>(owner: Address, data: Uint8Array, name: string, decode: (body: Uint8Array) => T): T {
  const discriminator = accountDiscriminator(name);
  if (owner !== PROGRAM_ID || data.length < 8 || !discriminator.every((b, i) => data[i] === b)) {
    throw new NotAProgramAccount(`not an AnoGhost ${name} account`);
  }
  return decode(data.subarray(8));
}

export const decodeConfig = (owner: Address, data: Uint8Array): ProgramConfig =>
  programAccount(owner, data, "Config", (body) => configDecoder.decode(body) as ProgramConfig);
export const decodeEscrow = (owner: Address, data: Uint8Array): RoomEscrow =>
  programAccount(owner, data, "RoomEscrow", (body) => escrowDecoder.decode(body) as RoomEscrow);
export const decodePayment = (owner: Address, data: Uint8Array): PaymentVault =>
  programAccount(owner, data, "PaymentVault", (body) => paymentDecoder.decode(body) as PaymentVault);
