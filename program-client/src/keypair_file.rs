//! Solana CLI keypair files: a JSON array of the 64 bytes `secret ‖ public`. The one place
//! that reads and writes them; the bytes are zeroised after use.

use std::io::Write;
use std::path::{Path, PathBuf};

use solana_sdk::signature::Keypair;
use zeroize::Zeroizing;

/// Why a keypair file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeypairFileError {
    /// Raised if the file cannot be read.
    #[error("cannot read keypair file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Raised if the file is not a JSON array of 64 numbers whose second half is the public
    /// key of the first.
    #[error(
        "{0} is not a Solana keypair file (a JSON array of 64 numbers, as written by solana-keygen)"
    )]
    Format(PathBuf),
    /// Raised if a new keypair file would replace an existing file.
    #[error("{0} already exists; not overwriting it")]
    Exists(PathBuf),
    /// Raised if the file cannot be created or written.
    #[error("cannot write keypair file {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Reads a Solana CLI keypair file.
pub fn read(path: &Path) -> Result<Keypair, KeypairFileError> {
    let text =
        Zeroizing::new(
            std::fs::read_to_string(path).map_err(|source| KeypairFileError::Read {
                path: path.to_owned(),
                source,
            })?,
        );
    let bytes: Zeroizing<Vec<u8>> = Zeroizing::new(
        serde_json::from_str(&text).map_err(|_| KeypairFileError::Format(path.to_owned()))?,
    );
    // `try_from` checks that the public half matches the secret half.
    Keypair::try_from(bytes.as_slice()).map_err(|_| KeypairFileError::Format(path.to_owned()))
}

/// Writes `keypair` to a new file readable by its owner only; never replaces a file.
pub fn write_new(path: &Path, keypair: &Keypair) -> Result<(), KeypairFileError> {
    let bytes = Zeroizing::new(keypair.to_bytes().to_vec());
    let json = Zeroizing::new(serde_json::to_string(bytes.as_slice()).unwrap_or_default());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let write_error = |source| KeypairFileError::Write {
        path: path.to_owned(),
        source,
    };
    let mut file = options.open(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::AlreadyExists => KeypairFileError::Exists(path.to_owned()),
        _ => write_error(error),
    })?;
    file.write_all(json.as_bytes()).map_err(write_error)
}

#[cfg(test)]
mod tests {
    use solana_sdk::signature::Signer;

    use super::*;

    #[test]
    fn a_written_keypair_reads_back_and_is_never_overwritten() {
        let dir = std::env::temp_dir().join(format!("anoghost-keypair-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let path = dir.join("wallet.json");
        let _ = std::fs::remove_file(&path);
        let keypair = Keypair::new();
        write_new(&path, &keypair).unwrap_or_else(|e| panic!("{e}"));
        let read_back = read(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_back.pubkey(), keypair.pubkey());
        assert!(matches!(
            write_new(&path, &Keypair::new()),
            Err(KeypairFileError::Exists(_))
        ));
        std::fs::write(&path, "[1,2,3]").unwrap_or_default();
        assert!(matches!(read(&path), Err(KeypairFileError::Format(_))));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
