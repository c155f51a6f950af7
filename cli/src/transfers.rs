//! Files in the chat: `/send`, `/save`, `/decline`, `/cancel`, and what the room reports
//! about files, as lines that people and scripts can both read:
//!
//! ```text
//! file offered: #4821 "report.pdf" (5.0 MiB, application/pdf) as file 1. …
//! file saved: /home/me/Downloads/report.pdf (5242880 bytes, SHA-256 checked) from #4821
//! file failed: "report.pdf" from #4821: incomplete: 31 of 81 chunks arrived, then …
//! file cancelled: "report.pdf" from #4821, by its sender; what arrived is discarded
//! file declined: "report.pdf" by #1234
//! file sent: "report.pdf" (5242880 bytes, sha256 9f86…)
//! ```

use std::collections::HashMap;
use std::path::PathBuf;

use anoghost_sdk::chat::ChatRoom;
use anoghost_sdk::files::FileEvent;
use anoghost_sdk::mls::file_content::{FileManifest, TransferId};
use zeroize::Zeroizing;

use crate::files::{self, human_size};
use crate::progress::Bar;

/// What became of a transfer, for a script counting them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// An incoming file was saved (`true`) or failed or was cancelled (`false`).
    Incoming(bool),
    /// This member's file went out (`true`) or could not (`false`).
    Outgoing(bool),
}

enum Decision {
    Undecided,
    SaveTo(PathBuf),
}

struct Offer {
    number: usize,
    from: u16,
    file: FileManifest,
    decision: Decision,
    arrived: Option<Zeroizing<Vec<u8>>>,
}

/// The files of one chat session.
pub struct Transfers {
    /// `--save-files`: where every incoming file goes, without asking.
    auto_save: Option<PathBuf>,
    downloads: (PathBuf, &'static str),
    offers: Vec<Offer>,
    next_number: usize,
    /// The name of this member's own file going out.
    sending: Option<String>,
    bars: HashMap<TransferId, Bar>,
}

fn quoted(file: &FileManifest) -> String {
    format!("{:?}", file.name)
}

impl Transfers {
    /// Files saved to `auto_save` without asking, or offered to the user with the downloads
    /// folder as the default.
    pub fn new(auto_save: Option<PathBuf>) -> Self {
        Self {
            auto_save,
            downloads: files::downloads_dir(),
            offers: Vec::new(),
            next_number: 1,
            sending: None,
            bars: HashMap::new(),
        }
    }

    /// Starts sending the file at `path` (`/send PATH`, `--send-file PATH`).
    pub async fn send(&mut self, room: &mut ChatRoom, path: &str) -> Result<String, String> {
        if path.is_empty() {
            return Err("/send needs a file: /send PATH".into());
        }
        let limit = room.settings().max_file_bytes();
        let file = files::read_to_send(&files::expand_home(path), limit)?;
        let (name, size) = (file.name.clone(), file.bytes.len() as u64);
        let transfer = room.send_file(file).await.map_err(|e| e.to_string())?;
        self.sending = Some(format!("{name:?}"));
        if size > 0 {
            self.bars.insert(transfer, Bar::new(format!("{name} ↑")));
        }
        Ok(format!(
            "sending {name:?} ({}) to the group; /cancel stops it",
            human_size(size)
        ))
    }

    /// `/cancel`: stops this member's file going out; `/cancel N` declines file N.
    pub async fn cancel(&mut self, room: &mut ChatRoom, args: &str) -> Result<String, String> {
        if !args.trim().is_empty() {
            return self.decline(room, args).await;
        }
        let transfer = room.sending_file().ok_or("no file of yours is going out")?;
        room.cancel_file(transfer)
            .await
            .map_err(|e| e.to_string())?;
        self.end_bar(transfer);
        let name = self.sending.take().unwrap_or_default();
        Ok(format!(
            "file cancelled: {name} (yours); the others discard it"
        ))
    }

    fn offer_index(&self, number: Option<&str>) -> Result<usize, String> {
        match number {
            Some(text) => {
                let number: usize = text
                    .trim_start_matches('#')
                    .parse()
                    .map_err(|_| format!("not a file number: {text}"))?;
                self.offers
                    .iter()
                    .position(|o| o.number == number)
                    .ok_or_else(|| format!("no file {number} waiting"))
            }
            None => self
                .offers
                .iter()
                .position(|o| matches!(o.decision, Decision::Undecided))
                .ok_or_else(|| "no file waiting for an answer".into()),
        }
    }

    /// `/save [N] [PATH]`: file N (the oldest unanswered) goes to PATH (a folder or a file
    /// name; the downloads folder by default), now or once it has arrived.
    pub fn save(&mut self, args: &str) -> Result<String, String> {
        let args = args.trim();
        let (number, path) = match args.split_once(' ') {
            Some((first, rest)) if first.trim_start_matches('#').parse::<usize>().is_ok() => {
                (Some(first), rest.trim())
            }
            _ if args.trim_start_matches('#').parse::<usize>().is_ok() => (Some(args), ""),
            _ => (None, args),
        };
        let index = self.offer_index(number)?;
        let target = if path.is_empty() {
            self.downloads.0.clone()
        } else {
            files::expand_home(path)
        };
        let offer = &mut self.offers[index];
        match offer.arrived.take() {
            Some(bytes) => {
                let offer = self.offers.remove(index);
                let saved = files::save(&target, &offer.file.name, &bytes)?;
                Ok(saved_line(&saved, &offer))
            }
            None => {
                let planned = files::planned_path(&target, &offer.file.name);
                offer.decision = Decision::SaveTo(target);
                Ok(format!(
                    "file {} goes to {} once it has arrived",
                    offer.number,
                    planned.display()
                ))
            }
        }
    }

    /// `/decline [N]`: refuses file N (the oldest unanswered); its sender is told.
    pub async fn decline(&mut self, room: &mut ChatRoom, args: &str) -> Result<String, String> {
        let number = Some(args.trim()).filter(|a| !a.is_empty());
        let index = self.offer_index(number)?;
        let offer = self.offers.remove(index);
        self.end_bar(offer.file.transfer);
        if offer.arrived.is_none() {
            room.cancel_file(offer.file.transfer)
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(format!(
            "file declined: {} from #{}",
            quoted(&offer.file),
            offer.from
        ))
    }

    fn end_bar(&mut self, transfer: TransferId) {
        if let Some(mut bar) = self.bars.remove(&transfer) {
            bar.finish();
        }
    }

    fn take_offer(&mut self, transfer: TransferId) -> Option<Offer> {
        let index = self
            .offers
            .iter()
            .position(|o| o.file.transfer == transfer)?;
        Some(self.offers.remove(index))
    }

    /// The lines to show for `event`, and whether it finished a transfer.
    pub fn on_event(&mut self, me: u16, event: FileEvent) -> (Vec<String>, Option<Finished>) {
        match event {
            FileEvent::Offered { from, file } => (vec![self.on_offered(from, file)], None),
            FileEvent::Progress {
                transfer,
                done,
                total,
                ..
            } => {
                if let Some(bar) = self.bars.get_mut(&transfer) {
                    bar.update(done, total);
                }
                (Vec::new(), None)
            }
            FileEvent::Received { from, file, bytes } => self.on_received(from, file, bytes),
            FileEvent::Sent { file } => {
                self.end_bar(file.transfer);
                self.sending = None;
                let sha: String = file.sha256.iter().map(|b| format!("{b:02x}")).collect();
                let line = format!(
                    "file sent: {} ({} bytes, sha256 {sha})",
                    quoted(&file),
                    file.size
                );
                (vec![line], Some(Finished::Outgoing(true)))
            }
            FileEvent::Failed {
                transfer,
                from,
                error,
            } => {
                self.end_bar(transfer);
                if from == me {
                    let name = self.sending.take().unwrap_or_default();
                    let line = format!("file failed: {name} (yours): {error}");
                    return (vec![line], Some(Finished::Outgoing(false)));
                }
                let name = self
                    .take_offer(transfer)
                    .map(|o| quoted(&o.file))
                    .unwrap_or_else(|| format!("file {}", transfer.short()));
                let line = format!("file failed: {name} from #{from}: {error}");
                (vec![line], Some(Finished::Incoming(false)))
            }
            FileEvent::Cancelled { transfer, from, by } if by == from => {
                self.end_bar(transfer);
                let name = self
                    .take_offer(transfer)
                    .map(|o| quoted(&o.file))
                    .unwrap_or_default();
                let line = format!(
                    "file cancelled: {name} from #{from}, by its sender; what arrived is discarded"
                );
                (vec![line], Some(Finished::Incoming(false)))
            }
            FileEvent::Cancelled { by, .. } => {
                let name = self.sending.clone().unwrap_or_default();
                (vec![format!("file declined: {name} by #{by}")], None)
            }
        }
    }

    fn on_offered(&mut self, from: u16, file: FileManifest) -> String {
        let number = self.next_number;
        self.next_number += 1;
        let what = format!(
            "file offered: #{from} {} ({}, {})",
            quoted(&file),
            human_size(file.size),
            if file.mime.is_empty() {
                "type unknown"
            } else {
                &file.mime
            }
        );
        let (decision, line) = match &self.auto_save {
            Some(dir) => (
                Decision::SaveTo(dir.clone()),
                format!("{what}, saving to {}", dir.display()),
            ),
            None => {
                let (dir, why) = &self.downloads;
                let planned = files::planned_path(dir, &file.name);
                let line = format!(
                    "{what} as file {number}. /save {number} puts it in {why} as {}; \
                     /save {number} PATH puts it elsewhere; /decline {number} refuses it",
                    planned.display()
                );
                (Decision::Undecided, line)
            }
        };
        self.bars
            .insert(file.transfer, Bar::new(format!("{} ↓", file.name)));
        self.offers.push(Offer {
            number,
            from,
            file,
            decision,
            arrived: None,
        });
        line
    }

    fn on_received(
        &mut self,
        from: u16,
        file: FileManifest,
        bytes: Zeroizing<Vec<u8>>,
    ) -> (Vec<String>, Option<Finished>) {
        self.end_bar(file.transfer);
        let Some(index) = self
            .offers
            .iter()
            .position(|o| o.file.transfer == file.transfer)
        else {
            return (Vec::new(), None);
        };
        if let Decision::SaveTo(target) = &self.offers[index].decision {
            let target = target.clone();
            let offer = self.offers.remove(index);
            let line = match files::save(&target, &file.name, &bytes) {
                Ok(saved) => saved_line(&saved, &offer),
                Err(error) => {
                    let line = format!("file failed: {} from #{from}: {error}", quoted(&file));
                    return (vec![line], Some(Finished::Incoming(false)));
                }
            };
            return (vec![line], Some(Finished::Incoming(true)));
        }
        let offer = &mut self.offers[index];
        offer.arrived = Some(bytes);
        let n = offer.number;
        let line = format!(
            "file arrived: {} from #{from}, SHA-256 checked; /save {n} [PATH] keeps it, /decline {n} drops it",
            quoted(&file)
        );
        (vec![line], None)
    }
}

fn saved_line(saved: &std::path::Path, offer: &Offer) -> String {
    format!(
        "file saved: {} ({} bytes, SHA-256 checked) from #{}",
        saved.display(),
        offer.file.size,
        offer.from
    )
}
