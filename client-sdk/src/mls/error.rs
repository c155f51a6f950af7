use openmls::prelude::{ProcessMessageError, WelcomeError};

/// Why an MLS operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MlsError {
    /// Raised if bytes do not parse as what they claim to be.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// Raised if OpenMLS refused a message: undecryptable, replayed, from a wrong or
    /// removed epoch, badly signed. The text is OpenMLS's own.
    #[error("refused by MLS: {0}")]
    Refused(String),
    /// Raised if an OpenMLS operation on this member's own state failed.
    #[error("MLS operation failed: {0}")]
    Operation(String),
    /// Raised if a join request's proof of the room secret does not verify.
    #[error("the join request does not prove the room's secret")]
    BadJoinProof,
    /// Raised if a join request answers no challenge this member has open for its sender:
    /// a replayed request, or one sent to the wrong member.
    #[error("the join request answers no open challenge")]
    UnchallengedJoinRequest,
    /// Raised if a KeyPackage's credential does not name the member number the gateway
    /// gave its sender, or that number is already in the group.
    #[error("the KeyPackage claims another member's place")]
    WrongIdentity,
    /// Raised if a KeyPackage is not freshly made (its lifetime starts too early or lasts
    /// too long): a replayed KeyPackage.
    #[error("the KeyPackage is not fresh")]
    StaleKeyPackage,
    /// Raised if a Welcome opens another group than the room's, or its proof of the room's
    /// secret does not verify: a group the gateway or a stranger made up.
    #[error("the Welcome does not come from holders of the room's secret")]
    ForgedWelcome,
    /// Raised if a commit breaks the room's rules (an add by anyone but the creator in
    /// knock mode; a credential that is not a unique member number).
    #[error("the commit breaks the room's rules: {0}")]
    RuleBroken(&'static str),
    /// Raised if a message is sent before this member is in the group.
    #[error("not in the group yet: wait until a member adds you")]
    NotInGroup,
    /// Raised if this member was removed from the group.
    #[error("removed from the group")]
    Removed,
    /// Raised if a room's creator asks for a file limit out of range.
    #[error("a room's file limit must be 1 to {max} bytes; {requested} is not")]
    FileLimitOutOfRange {
        /// The limit asked for.
        requested: u64,
        /// The largest allowed.
        max: u64,
    },
    /// Raised if a message body is too large for one frame.
    #[error("the message is {len} bytes; the most one message can carry is {max}")]
    TooLarge {
        /// The body's size.
        len: usize,
        /// The largest allowed.
        max: usize,
    },
    /// Raised if a direct message is addressed to a number that is not in the group.
    #[error("#{0} is not a member of the group")]
    UnknownMember(u16),
    /// Raised if the application data of a message from `from` does not say which member
    /// the gateway stamped as its sender.
    #[error("a message's MLS sender is not the member the gateway named")]
    SenderMismatch,
}

impl<E: std::fmt::Debug> From<ProcessMessageError<E>> for MlsError {
    fn from(error: ProcessMessageError<E>) -> Self {
        Self::Refused(format!("{error:?}"))
    }
}

impl<E: std::fmt::Debug> From<WelcomeError<E>> for MlsError {
    fn from(error: WelcomeError<E>) -> Self {
        Self::Refused(format!("{error:?}"))
    }
}

/// An OpenMLS failure on this member's own operation.
pub(crate) fn operation(error: impl std::fmt::Debug) -> MlsError {
    MlsError::Operation(format!("{error:?}"))
}
