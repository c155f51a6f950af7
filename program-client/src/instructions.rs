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
            system_program: SYSTEM_PROGRAM_ID,
        },
        anoghost::instruction::ConfigInit { params },
    )
}

/// `config_update`, signed by the config admin.
pub fn config_update(admin: &Pubkey, args: ConfigUpdateArgs) -> Instruction {
    instruction(
        anoghost::accounts::ConfigUpdate {
            admin: *admin,
            config: pda::config(),
        },
        anoghost::instruction::ConfigUpdate { args },
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

/// `key_mint`: the gateway authority mints one key for `holder`. Returns the instruction and
/// the key's mint address.
pub fn key_mint(
    gateway_authority: &Pubkey,
    holder: &Pubkey,
    sealed_room: Vec<u8>,
    sealed_ghost: Vec<u8>,
    name: String,
) -> (Instruction, Pubkey) {
    let mint = pda::key_mint(&sealed_ghost);
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
            sealed_room,
            sealed_ghost,
            name,
        },
    );
    (ix, mint)
}

/// `room_settle`: the gateway authority settles `payer`'s escrow for `minted` keys.
pub fn room_settle(
    gateway_authority: &Pubkey,
    payer: &Pubkey,
    treasury: &Pubkey,
    nonce: [u8; 32],
    minted: u16,
) -> Instruction {
    instruction(
        anoghost::accounts::RoomSettle {
            gateway_authority: *gateway_authority,
            config: pda::config(),
            escrow: pda::escrow(payer, &nonce),
            payer: *payer,
            treasury: *treasury,
        },
        anoghost::instruction::RoomSettle { nonce, minted },
    )
}

/// `room_refund`: `payer` takes back an unsettled escrow after the timeout.
pub fn room_refund(payer: &Pubkey, nonce: [u8; 32]) -> Instruction {
    instruction(
        anoghost::accounts::RoomRefund {
            payer: *payer,
            escrow: pda::escrow(payer, &nonce),
        },
        anoghost::instruction::RoomRefund {},
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

/// Burns a held key and closes its accounts, in one transaction signed by `holder`: the
/// Token-2022 burn, the close of the holder's token account (its rent back to the holder),
/// and `key_close` for the mint (its rent back to `gateway_authority`, which fronted it).
pub fn key_burn_and_close(
    holder: &Pubkey,
    mint: &Pubkey,
    gateway_authority: &Pubkey,
) -> Vec<Instruction> {
    use anchor_spl::token_2022::spl_token_2022::instruction as token;
    let holding = key_token_account(holder, mint);
    let burn = token::burn(&TOKEN_2022_PROGRAM_ID, &holding, mint, holder, &[], 1);
    let close = token::close_account(&TOKEN_2022_PROGRAM_ID, &holding, holder, holder, &[]);
    // Both builders only fail for a wrong token program id, which is fixed here.
    burn.into_iter()
        .chain(close)
        .chain(std::iter::once(key_close(holder, mint, gateway_authority)))
        .collect()
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
