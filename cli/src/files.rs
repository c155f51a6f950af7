//! Files on this computer's disk: reading one to send, the downloads folder, and saving an
//! arrived file without ever overwriting anything.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anoghost_sdk::files::outgoing::FileToSend;

/// Where incoming files go unless the user says otherwise, and why there: `$XDG_DOWNLOAD_DIR`,
/// else `~/Downloads` if it exists, else the current directory.
pub fn downloads_dir() -> (PathBuf, &'static str) {
    if let Some(dir) = std::env::var_os("XDG_DOWNLOAD_DIR").filter(|d| !d.is_empty()) {
        return (PathBuf::from(dir), "$XDG_DOWNLOAD_DIR");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let downloads = Path::new(&home).join("Downloads");
        if downloads.is_dir() {
            return (downloads, "your Downloads folder");
        }
    }
    (PathBuf::from("."), "the current directory")
}

/// `~/…` with the home directory spelled out.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// Reads `path` to send it, refusing before reading if it is over `limit` bytes.
pub fn read_to_send(path: &Path, limit: u64) -> Result<FileToSend, String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if !metadata.is_file() {
        return Err(format!("{shown} is not a file"));
    }
    if metadata.len() > limit {
        return Err(format!(
            "{shown} is {}; this room takes files up to {}",
            human_size(metadata.len()),
            human_size(limit)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let mime = mime_for(&name);
    Ok(FileToSend::new(truncate_utf8(&name, 255), mime, bytes))
}

/// A name a sender chose, made safe to create in a folder: no directories, no `..`, no
/// control characters, at most 255 bytes.
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        truncate_utf8(&cleaned, 255)
    }
}

fn truncate_utf8(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// `name`, then `name (1)`, `name (2)`, … with the extension kept at the end.
fn candidates(name: &str) -> impl Iterator<Item = String> + '_ {
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    };
    std::iter::once(name.to_owned()).chain((1..1000).map(move |n| format!("{stem} ({n}){ext}")))
}

/// Where `name` would be saved under `target` now: `target` itself if it is a new file's
/// path, else the first free `name (n).ext` in the folder `target` (or `target`'s folder).
pub fn planned_path(target: &Path, name: &str) -> PathBuf {
    let (dir, name) = split_target(target, name);
    let free = candidates(&name)
        .map(|candidate| dir.join(candidate))
        .find(|path| !path.exists());
    free.unwrap_or_else(|| dir.join(&name))
}

fn split_target(target: &Path, name: &str) -> (PathBuf, String) {
    if target.is_dir() {
        return (target.to_owned(), safe_name(name));
    }
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| safe_name(&n.to_string_lossy()))
        .unwrap_or_else(|| safe_name(name));
    (dir, name)
}

/// Saves `bytes` as `name` under `target` (a folder, or a file path) and returns where.
/// Never overwrites: an existing file keeps its place and this one gets the first free
/// `name (n).ext`. The bytes go to a hidden temporary file first, which is then linked to
/// its name (a link fails rather than replace a file) and removed, so a half-written file
/// never carries the name.
pub fn save(target: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let (dir, name) = split_target(target, name);
    let temp = dir.join(format!(".{name}.{:016x}.part", rand::random::<u64>()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        });
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(format!("cannot write in {}: {error}", dir.display()));
    }
    let saved = candidates(&name).map(|c| dir.join(c)).find_map(|path| {
        match std::fs::hard_link(&temp, &path) {
            Ok(()) => Some(Ok(path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
            Err(e) => Some(Err(format!("cannot save {}: {e}", path.display()))),
        }
    });
    let _ = std::fs::remove_file(&temp);
    saved.unwrap_or_else(|| Err(format!("no free name for {name} in {}", dir.display())))
}

/// A MIME type from a file name's extension (`application/octet-stream` when unknown).
pub fn mime_for(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("txt") => "text/plain",
        Some("md") => "text/markdown",
        Some("csv") => "text/csv",
        Some("html" | "htm") => "text/html",
        Some("json") => "application/json",
        Some("pdf") => "application/pdf",
        Some("zip") => "application/zip",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        Some("mp3") => "audio/mpeg",
        Some("ogg") => "audio/ogg",
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        _ => "application/octet-stream",
    }
}

/// `5.0 MiB`, `312 KiB`, `18 bytes`.
pub fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KIB * KIB {
        format!("{:.1} MiB", b / (KIB * KIB))
    } else if b >= KIB {
        format!("{:.0} KiB", b / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("anoghost-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_senders_name_cannot_leave_the_folder() {
        assert_eq!(safe_name("../../.bashrc"), "_.._.bashrc");
        assert_eq!(safe_name("/etc/passwd"), "_etc_passwd");
        assert_eq!(safe_name(".."), "file");
        assert_eq!(safe_name("a\nb\u{0}c.txt"), "a_b_c.txt");
        assert_eq!(safe_name("C:\\x.txt"), "C__x.txt");
        assert_eq!(safe_name(&"é".repeat(200)).len(), 254);
    }

    #[test]
    fn saving_never_overwrites_and_leaves_no_temporary_file() {
        let dir = scratch("save");
        std::fs::write(dir.join("notes.txt"), b"mine").unwrap();
        assert_eq!(planned_path(&dir, "notes.txt"), dir.join("notes (1).txt"));
        let first = save(&dir, "notes.txt", b"theirs").unwrap();
        let second = save(&dir, "notes.txt", b"again").unwrap();
        assert_eq!(first, dir.join("notes (1).txt"));
        assert_eq!(second, dir.join("notes (2).txt"));
        assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");
        assert_eq!(std::fs::read(&first).unwrap(), b"theirs");
        let named = save(&dir.join("chosen.bin"), "ignored.txt", b"x").unwrap();
        assert_eq!(named, dir.join("chosen.bin"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["chosen.bin", "notes (1).txt", "notes (2).txt", "notes.txt"]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = scratch("limit");
        let path = dir.join("big.bin");
        std::fs::write(&path, vec![0u8; 2048]).unwrap();
        let error = read_to_send(&path, 1024).unwrap_err();
        assert!(
            error.contains("this room takes files up to 1 KiB"),
            "{error}"
        );
        let file = read_to_send(&path, 4096).unwrap();
        assert_eq!((file.name.as_str(), file.bytes.len()), ("big.bin", 2048));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
