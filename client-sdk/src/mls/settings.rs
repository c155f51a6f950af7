//! The room's settings: chosen by its creator when it creates the group, and carried in the
//! group's GroupContext as an extension of a private-use type (RFC 9420 §17.3 reserves
//! 0xF000–0xFFFF), so every member holds the same value, authenticated by the group: a
//! joiner reads it from its Welcome, and no commit may change it (`membership.rs` refuses one
//! that does).
//!
//! ```text
//! extension type  0xF0A1 (room settings)
//! extension data  max file bytes (8, big-endian)
//! ```
//!
//! A room whose creator keeps the default limit carries no extension at all, so a client
//! that does not know it still joins such a room. A room with another limit requires every
//! joiner's KeyPackage to list 0xF0A1 in its capabilities (RFC 9420 §12.1.1 and §13.4: both
//! OpenMLS and ts-mls refuse to add a member whose leaf does not support every GroupContext
//! extension), which every KeyPackage this SDK makes does ([`capabilities`]).

use openmls::prelude::{
    Capabilities, Extension, ExtensionType, Extensions, GroupContext, MlsGroup, UnknownExtension,
};

use super::error::MlsError;

/// The extension type of the room settings, from the private-use range.
pub const ROOM_SETTINGS_EXTENSION: u16 = 0xF0A1;
/// The file limit of a room whose creator did not choose one: 25 MiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 25 * 1024 * 1024;
/// The largest file limit a creator may choose: receivers hold a file in memory until it is
/// complete, so the limit bounds what one transfer can make each member hold.
pub const MAX_ROOM_FILE_LIMIT: u64 = 100 * 1024 * 1024;
const DATA_LEN: usize = 8;

/// What the room's creator chose for the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomSettings {
    /// The largest file, in bytes, a member may send to the room.
    max_file_bytes: u64,
}

impl Default for RoomSettings {
    fn default() -> Self {
        Self {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }
}

impl RoomSettings {
    /// Settings with a file limit of `max_file_bytes` (1 byte to [`MAX_ROOM_FILE_LIMIT`]).
    pub fn with_max_file_bytes(max_file_bytes: u64) -> Result<Self, MlsError> {
        if !(1..=MAX_ROOM_FILE_LIMIT).contains(&max_file_bytes) {
            return Err(MlsError::FileLimitOutOfRange {
                requested: max_file_bytes,
                max: MAX_ROOM_FILE_LIMIT,
            });
        }
        Ok(Self { max_file_bytes })
    }

    /// The largest file, in bytes, a member may send to the room.
    pub fn max_file_bytes(&self) -> u64 {
        self.max_file_bytes
    }

    /// The extension's data.
    pub fn encode(&self) -> [u8; DATA_LEN] {
        self.max_file_bytes.to_be_bytes()
    }

    /// Parses the extension's data: exactly 8 bytes, a limit in range.
    pub fn decode(data: &[u8]) -> Result<Self, MlsError> {
        let bytes: [u8; DATA_LEN] = data
            .try_into()
            .map_err(|_| MlsError::Malformed("room settings"))?;
        Self::with_max_file_bytes(u64::from_be_bytes(bytes))
            .map_err(|_| MlsError::Malformed("room settings"))
    }

    /// The GroupContext extensions a group with these settings is created with: none for
    /// the default, so clients that do not know the extension can still join.
    pub(crate) fn group_context_extensions(&self) -> Result<Extensions<GroupContext>, MlsError> {
        if *self == Self::default() {
            return Ok(Extensions::empty());
        }
        Extensions::single(Extension::Unknown(
            ROOM_SETTINGS_EXTENSION,
            UnknownExtension(self.encode().to_vec()),
        ))
        .map_err(|e| MlsError::Operation(format!("{e:?}")))
    }

    /// The settings in a GroupContext's extensions; the default when there are none.
    pub(crate) fn from_extensions(extensions: &Extensions<GroupContext>) -> Result<Self, MlsError> {
        match extensions.unknown(ROOM_SETTINGS_EXTENSION) {
            Some(UnknownExtension(data)) => Self::decode(data),
            None => Ok(Self::default()),
        }
    }

    /// The settings of `group`.
    pub(crate) fn of_group(group: &MlsGroup) -> Result<Self, MlsError> {
        Self::from_extensions(group.extensions())
    }
}

/// The capabilities of every leaf this SDK makes: OpenMLS's defaults, plus the room-settings
/// extension, so this member can be added to a room that carries it.
pub fn capabilities() -> Capabilities {
    Capabilities::new(
        None,
        None,
        Some(&[ExtensionType::Unknown(ROOM_SETTINGS_EXTENSION)]),
        None,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_room_carries_no_extension_and_another_limit_one_of_eight_bytes() {
        let default = RoomSettings::default();
        assert_eq!(default.max_file_bytes(), 25 * 1024 * 1024);
        let none = default.group_context_extensions().unwrap();
        assert!(none.unknown(ROOM_SETTINGS_EXTENSION).is_none());
        assert_eq!(RoomSettings::from_extensions(&none), Ok(default));

        let small = RoomSettings::with_max_file_bytes(1 << 20).unwrap();
        assert_eq!(small.encode(), [0, 0, 0, 0, 0, 0x10, 0, 0]);
        let one = small.group_context_extensions().unwrap();
        assert_eq!(RoomSettings::from_extensions(&one), Ok(small));
    }

    #[test]
    fn limits_out_of_range_and_data_of_another_length_are_refused() {
        for limit in [0, MAX_ROOM_FILE_LIMIT + 1] {
            assert_eq!(
                RoomSettings::with_max_file_bytes(limit),
                Err(MlsError::FileLimitOutOfRange {
                    requested: limit,
                    max: MAX_ROOM_FILE_LIMIT
                })
            );
        }
        assert!(RoomSettings::with_max_file_bytes(MAX_ROOM_FILE_LIMIT).is_ok());
        for data in [&[0u8; 7][..], &[0u8; 9][..], &[0u8; 8][..], &[0xff; 8][..]] {
            assert_eq!(
                RoomSettings::decode(data),
                Err(MlsError::Malformed("room settings"))
            );
        }
    }
}
