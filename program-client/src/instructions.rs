//! Instruction builders for the `anoghost` on-chain program.
//!
//! Each builder returns a ready [`Instruction`] whose account order matches the program's
//! documented accounts. The builders derive every PDA themselves, so callers pass only the
//! wallets and values they choose.

use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{InstructionData, ToAccountMetas};
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use anchor_spl::associated_token::ID as ASSOCIATED_TOKEN_PROGRAM_ID;
use anchor_spl::token_2022::ID as TOKEN_2022_PROGRAM_ID;

use crate::limits::{INVITE_LEN, ROOM_BINDING_LEN};
use crate::{pda, PROGRAM_ID};
pub use anoghost::instructions::ConfigUpdateArgs;
pub use anoghost::state::ConfigParams;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::system_program::ID as SYSTEM_PROGRAM_ID;

fn instruction(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// The holder's Token-2022 associated token account for a key mint.
pub fn key_token_account(holder: &Pubkey, mint: &Pubkey) -> Pubkey {
    get_associated_token_address_with_program_id(holder, mint, &TOKEN_2022_PROGRAM_ID)
}

/// `config_init`, signed by the program's upgrade authority `admin`.
pub fn config_init(admin: &Pubkey, params: ConfigParams) -> Instruction {
    instruction(
        anoghost::accounts::ConfigInit {
            admin: *admin,
            config: pda::config(),
            program_data: pda::program_data(),
            treasury: params.treasury,
            system_program: SYSTEM_PROGRAM_ID,
        },
        anoghost::instruction::ConfigInit { params },
    )
}

/// `config_update`, signed by the config admin. A new treasury in `args` is passed as an
/// account too, for the program to check its owner.
pub fn config_update(admin: &Pubkey, args: ConfigUpdateArgs) -> Instruction {
    instruction(
        anoghost::accounts::ConfigUpdate {
            admin: *admin,
            config: pda::config(),
            treasury: args.treasury,
        },
        anoghost::instruction::ConfigUpdate { args },
    )
}

/// `admin_propose`: the admin proposes `new_admin`.
pub fn admin_propose(admin: &Pubkey, new_admin: &Pubkey) -> Instruction {
    instruction(
        anoghost::accounts::AdminPropose {
            admin: *admin,
            config: pda::config(),
        },
        anoghost::instruction::AdminPropose {
            new_admin: *new_admin,
        },
    )
}

/// `admin_accept`: the proposed admin takes over.
pub fn admin_accept(new_admin: &Pubkey) -> Instruction {
    instruction(
        anoghost::accounts::AdminAccept {
            new_admin: *new_admin,
            config: pda::config(),
        },
        anoghost::instruction::AdminAccept {},
    )
}

/// `room_deposit`: `payer` funds an escrow for `keys` keys under a random `nonce`.
pub fn room_deposit(payer: &Pubkey, nonce: [u8; 32], keys: u16) -> Instruction {
    instruction(
        anoghost::accounts::RoomDeposit {
            payer: *payer,
            config: pda::config(),
            escrow: pda::escrow(payer, &nonce),
            system_program: SYSTEM_PROGRAM_ID,
        },
        anoghost::instruction::RoomDeposit { nonce, keys },
    )
}

/// `room_lock`: the gateway authority locks `payer`'s escrow for `keys` keys under its
/// random `lock_id`.
pub fn room_lock(
    gateway_authority: &Pubkey,
    payer: &Pubkey,
    nonce: [u8; 32],
    keys: u16,
    lock_id: [u8; 16],
) -> Instruction {
    instruction(
        anoghost::accounts::RoomLock {
            gateway_authority: *gateway_authority,
            config: pda::config(),
            escrow: pda::escrow(payer, &nonce),
        },
        anoghost::instruction::RoomLock {
            nonce,
            keys,
            lock_id,
        },
    )
}

/// `key_mint`: the gateway authority mints the key of `holder`, carrying a room binding and
/// a sealed invite. Returns the instruction and the key's mint address.
pub fn key_mint(
    gateway_authority: &Pubkey,
    holder: &Pubkey,
    room_binding: [u8; ROOM_BINDING_LEN],
    invite: [u8; INVITE_LEN],
) -> (Instruction, Pubkey) {
    let mint = pda::key_mint(holder);
    let ix = instruction(
        anoghost::accounts::KeyMint {
            gateway_authority: *gateway_authority,
            config: pda::config(),
            key_authority: pda::key_authority(),
            mint,
            holder: *holder,
            holder_token_account: key_token_account(holder, &mint),
            token_program: TOKEN_2022_PROGRAM_ID,
            associated_token_program: ASSOCIATED_TOKEN_PROGRAM_ID,
            system_program: SYSTEM_PROGRAM_ID,
        },
        anoghost::instruction::KeyMint {
            room_binding,
            invite,
        },
    );
    (ix, mint)
}

/// `room_settle`: the gateway authority settles `payer`'s locked escrow.
pub fn room_settle(
    gateway_authority: &Pubkey,
    payer: &Pubkey,
    treasury: &Pubkey,
    nonce: [u8; 32],
) -> Instruction {
    instruction(
        anoghost::accounts::RoomSettle {
            gateway_authority: *gateway_authority,
            config: pda::config(),
            escrow: pda::escrow(payer, &nonce),
            payer: *payer,
            treasury: *treasury,
        },
        anoghost::instruction::RoomSettle { nonce },
    )
}

/// `room_refund`: `payer` takes back its escrow after the refund time.
pub fn room_refund(payer: &Pubkey, nonce: [u8; 32]) -> Instruction {
    instruction(
        anoghost::accounts::RoomRefund {
            payer: *payer,
            escrow: pda::escrow(payer, &nonce),
        },
        anoghost::instruction::RoomRefund {},
    )
}

/// `key_burn`: `holder` burns its key; both rents go to `gateway_authority`, which may also
/// pay the fee (`POST /v1/keys/burn`).
pub fn key_burn(holder: &Pubkey, gateway_authority: &Pubkey) -> Instruction {
    let mint = pda::key_mint(holder);
    instruction(
        anoghost::accounts::KeyBurn {
            holder: *holder,
            config: pda::config(),
            key_authority: pda::key_authority(),
            mint,
            holder_token_account: key_token_account(holder, &mint),
            rent_recipient: *gateway_authority,
            token_program: TOKEN_2022_PROGRAM_ID,
        },
        anoghost::instruction::KeyBurn {},
    )
}

/// `key_close`: closes a burned key's mint; the rent returns to `gateway_authority`.
pub fn key_close(closer: &Pubkey, mint: &Pubkey, gateway_authority: &Pubkey) -> Instruction {
    instruction(
        anoghost::accounts::KeyClose {
            closer: *closer,
            config: pda::config(),
            key_authority: pda::key_authority(),
            mint: *mint,
            rent_recipient: *gateway_authority,
            token_program: TOKEN_2022_PROGRAM_ID,
        },
        anoghost::instruction::KeyClose {},
    )
}

/// `payment_deposit`: `depositor` locks `amount` lamports for `claim_pubkey` until `expiry`.
pub fn payment_deposit(
    depositor: &Pubkey,
    claim_pubkey: &Pubkey,
    amount: u64,
    expiry: i64,
) -> Instruction {
    instruction(
        anoghost::accounts::PaymentDeposit {
            depositor: *depositor,
            config: pda::config(),
            payment: pda::payment(claim_pubkey),
            system_program: SYSTEM_PROGRAM_ID,
        },
        anoghost::instruction::PaymentDeposit {
            claim_pubkey: *claim_pubkey,
            amount,
            expiry,
        },
    )
}

/// `payment_claim`: the claim key pays the payment to `recipient`; rent goes to `depositor`.
pub fn payment_claim(claimer: &Pubkey, recipient: &Pubkey, depositor: &Pubkey) -> Instruction {
    instruction(
        anoghost::accounts::PaymentClaim {
            claimer: *claimer,
            payment: pda::payment(claimer),
            recipient: *recipient,
            depositor: *depositor,
        },
        anoghost::instruction::PaymentClaim {},
    )
}

/// `payment_reclaim`: `depositor` takes back the expired payment for `claim_pubkey`.
pub fn payment_reclaim(depositor: &Pubkey, claim_pubkey: &Pubkey) -> Instruction {
    instruction(
        anoghost::accounts::PaymentReclaim {
            depositor: *depositor,
            payment: pda::payment(claim_pubkey),
        },
        anoghost::instruction::PaymentReclaim {},
    )
}
