//! How every internal failure becomes the protocol's [`ErrorCode`], in one place, so a
//! failure is answered the same way wherever it happens. (A malformed binary frame's
//! `FrameError` is the protocol crate's own, and so is its mapping.)

use anoghost_protocol::ErrorCode;

use crate::auth::SignInError;
use crate::paid::creation::CreateError;
use crate::paid::KeyRefused;
use crate::rooms::JoinError;

impl From<SignInError> for ErrorCode {
    fn from(error: SignInError) -> Self {
        match error {
            SignInError::Malformed => ErrorCode::BadMessage,
            SignInError::WrongDomain => ErrorCode::DomainMismatch,
            SignInError::Expired => ErrorCode::MessageExpired,
            SignInError::NotYetValid => ErrorCode::MessageNotYetValid,
            SignInError::BadSignature => ErrorCode::BadSignature,
            SignInError::UnknownNonce => ErrorCode::NonceUnknown,
            SignInError::ReusedNonce => ErrorCode::NonceReused,
            SignInError::Busy => ErrorCode::SignInBusy,
        }
    }
}

impl From<JoinError> for ErrorCode {
    fn from(error: JoinError) -> Self {
        match error {
            JoinError::NotFound => ErrorCode::RoomNotFound,
            JoinError::Full => ErrorCode::RoomFull,
            JoinError::TooManyRooms => ErrorCode::TooManyRooms,
        }
    }
}

impl From<CreateError> for ErrorCode {
    fn from(error: CreateError) -> Self {
        match error {
            CreateError::EscrowNotFound => ErrorCode::EscrowNotFound,
            CreateError::EscrowTooSmall => ErrorCode::EscrowTooSmall,
            CreateError::EscrowUsed => ErrorCode::EscrowUsed,
            CreateError::Chain(_) => ErrorCode::ChainUnavailable,
        }
    }
}

impl From<KeyRefused> for ErrorCode {
    fn from(error: KeyRefused) -> Self {
        match error {
            // Every failed check gets the same answer: a prober learns nothing of which.
            KeyRefused::Invalid(_) => ErrorCode::KeyRefused,
            KeyRefused::Chain(_) => ErrorCode::ChainUnavailable,
        }
    }
}
