/// Every way a crypto operation can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Raised if a payload is truncated, has trailing bytes or an unknown kind or version.
    #[error("malformed payload")]
    Malformed,
    /// Raised if a payload's signature does not verify with the sender's announced key.
    #[error("bad signature: the payload was not signed by its claimed sender")]
    BadSignature,
    /// Raised if an announcement's MAC does not verify with the room secret.
    #[error("announcement MAC mismatch: keys may have been substituted")]
    BadMac,
    /// Raised if an announcement lacks a MAC in a room that has a secret.
    #[error("announcement carries no MAC but the room has a secret")]
    MissingMac,
    /// Raised if an announcement names a member number other than its sender's.
    #[error("announcement for another member number")]
    WrongMember,
    /// Raised if a member re-announces with different keys.
    #[error("member announced different keys")]
    KeysChanged,
    /// Raised if a payload comes from a member whose keys are unknown.
    #[error("unknown sender: no announcement seen")]
    UnknownSender,
    /// Raised if a message uses a chain this member never received.
    #[error("unknown chain: no sender key received for it")]
    UnknownChain,
    /// Raised if a message index was already used (replay) or its key was evicted.
    #[error("duplicate or expired message index")]
    Replay,
    /// Raised if a message index is too far ahead of the chain.
    #[error("message index jumps too far ahead")]
    JumpTooFar,
    /// Raised if AES-GCM authentication fails.
    #[error("decryption failed")]
    Decrypt,
    /// Raised if an X25519 exchange yields the all-zero secret (a low-order public key).
    #[error("weak X25519 public key")]
    WeakKey,
    /// Raised if the decrypted plaintext is not a valid padded body.
    #[error("malformed plaintext body")]
    BadBody,
    /// Raised if a body is too large to pad into a frame.
    #[error("message body too large")]
    TooLarge,
}
