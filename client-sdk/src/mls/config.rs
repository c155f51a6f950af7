//! The ciphersuite and every OpenMLS setting, in one place, so creating and joining a group
//! can never disagree.

use openmls::prelude::{
    Ciphersuite, MlsGroupCreateConfig, MlsGroupJoinConfig, SenderRatchetConfiguration,
    PURE_CIPHERTEXT_WIRE_FORMAT_POLICY,
};

use super::error::MlsError;
use super::settings::{capabilities, RoomSettings};

/// X25519, AES-128-GCM, SHA-256 and Ed25519: MLS's mandatory suite, which ts-mls speaks.
pub const CIPHERSUITE: Ciphersuite = Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

/// Message keys kept for out-of-order messages per sender, as libsignal keeps them.
pub const MAX_SKIPPED_KEYS: u32 = 2_000;
/// Largest forward jump in a sender's chain a receiver makes: a bound on the work one
/// forged or far-future message can cost it (about 31 ms of hashing at most here).
pub const MAX_FORWARD_DISTANCE: u32 = 25_000;
/// Past epochs whose application messages still decrypt (a message sent just before a
/// commit arrives just after it).
pub const MAX_PAST_EPOCHS: usize = 2;

fn sender_ratchet() -> SenderRatchetConfiguration {
    SenderRatchetConfiguration::new(MAX_SKIPPED_KEYS, MAX_FORWARD_DISTANCE)
}

/// Settings for a group this member creates, with the room's `settings` in its
/// GroupContext. Every message is a PrivateMessage (pure ciphertext), so the gateway never
/// sees a sender; the ratchet tree travels in the Welcome; padding is the application's
/// (`content`), so OpenMLS adds none.
pub fn create_config(settings: &RoomSettings) -> Result<MlsGroupCreateConfig, MlsError> {
    Ok(MlsGroupCreateConfig::builder()
        .ciphersuite(CIPHERSUITE)
        .wire_format_policy(PURE_CIPHERTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .sender_ratchet_configuration(sender_ratchet())
        .max_past_epochs(MAX_PAST_EPOCHS)
        .capabilities(capabilities())
        .with_group_context_extensions(settings.group_context_extensions()?)
        .build())
}

/// Settings for a group this member joins from a Welcome: the same as [`create_config`].
pub fn join_config() -> MlsGroupJoinConfig {
    MlsGroupJoinConfig::builder()
        .wire_format_policy(PURE_CIPHERTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .sender_ratchet_configuration(sender_ratchet())
        .max_past_epochs(MAX_PAST_EPOCHS)
        .build()
}
