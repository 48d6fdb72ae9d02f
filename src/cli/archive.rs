//! Releases inside `.zip`, `.tar`, `.tar.gz` and `.tgz` bundles (EDGAR's
//! quarterly feeds), checked without unpacking them to disk.
//!
//! A named archive is listed first (its regular files, in archive order);
//! each member becomes an input named `bundle.tar.gz!path/in/bundle.txt`
//! and is sorted with the other inputs. Reading a member:
//!
//! - zip: by index from the central directory, one shared reader;
//! - tar (compressed or not): a reader thread streams the members in
//!   archive order through a small bounded channel; a worker asking for
//!   member `i` takes members from the channel until it has `i`, keeping
//!   the ones others will ask for (at most [`MAX_BUFFERED`] bytes). Workers
//!   ask in name order, which is archive order in the bundles EDGAR
//!   publishes, so the buffer holds a few members. A member that did not
//!   fit is read again by scanning a fresh stream: slower, never wrong.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};

/// The largest member read (a release is kilobytes; an EDGAR submission
/// file with its exhibits a few megabytes).
pub const MAX_MEMBER: u64 = 256 << 20;

/// The most bytes of members read ahead and kept for other workers.
pub const MAX_BUFFERED: usize = 64 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Tar,
    TarGz,
}

/// The archive kind a file name says (any letter case).
pub fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".zip") {
        Some(Kind::Zip)
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        Some(Kind::TarGz)
    } else if name.ends_with(".tar") {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// A regular file in an archive.
#[derive(Clone, Debug)]
pub struct Member {
    /// Its position among the archive's regular files.
    pub index: usize,
    /// Its path inside the archive, `/`-separated.
    pub name: String,
}

type Bytes = Result<Vec<u8>, String>;

/// An opened archive whose members are read by the workers.
pub struct Archive {
    pub path: PathBuf,
    kind: Kind,
    zip: Option<Mutex<zip::ZipArchive<BufReader<File>>>>,
    tar: Option<Mutex<TarStream>>,
}

struct TarStream {
    rx: mpsc::Receiver<(usize, Bytes)>,
    /// Members taken from the channel for other workers.
    kept: BTreeMap<usize, Bytes>,
    kept_bytes: usize,
    /// The most bytes kept ([`MAX_BUFFERED`]).
    cap: usize,
    /// The index of the next member the channel will give.
    next: usize,
}

fn tar_reader(path: &Path, kind: Kind) -> std::io::Result<tar::Archive<Box<dyn Read + Send>>> {
    let file = BufReader::new(File::open(path)?);
    let inner: Box<dyn Read + Send> = match kind {
        Kind::TarGz => Box::new(flate2::read::MultiGzDecoder::new(file)),
        _ => Box::new(file),
    };
    Ok(tar::Archive::new(inner))
}

/// Reads an entry's bytes, refusing one larger than [`MAX_MEMBER`].
fn read_capped(mut r: impl Read, size: u64) -> Bytes {
    if size > MAX_MEMBER {
        return Err(format!(
            "the member is {size} bytes, more than the {MAX_MEMBER} bytes tieout reads"
        ));
    }
    let mut buf = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    (&mut r)
        .take(MAX_MEMBER + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read the member: {e}"))?;
    Ok(buf)
}

/// The regular files of a tar stream, each with `f(index, name, entry)`.
fn each_tar_file(
    path: &Path,
    kind: Kind,
    mut f: impl FnMut(usize, String, &mut tar::Entry<'_, Box<dyn Read + Send>>) -> bool,
) -> Result<(), String> {
    let mut archive = tar_reader(path, kind).map_err(|e| e.to_string())?;
    let entries = archive.entries().map_err(|e| e.to_string())?;
    let mut index = 0;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("a damaged entry: {e}"))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| format!("member-{index}"));
        if !f(index, name, &mut entry) {
            return Ok(());
        }
        index += 1;
    }
    Ok(())
}

impl Archive {
    /// Opens `path` and lists its regular files.
    pub fn open(path: &Path, kind: Kind) -> Result<(Archive, Vec<Member>), String> {
        Self::open_with_buffer(path, kind, MAX_BUFFERED)
    }

    /// [`Archive::open`], keeping at most `cap` bytes of read-ahead members.
    fn open_with_buffer(
        path: &Path,
        kind: Kind,
        cap: usize,
    ) -> Result<(Archive, Vec<Member>), String> {
        let mut members = Vec::new();
        match kind {
            Kind::Zip => {
                let file = File::open(path).map_err(|e| e.to_string())?;
                let mut zip = zip::ZipArchive::new(BufReader::new(file))
                    .map_err(|e| format!("not a readable zip archive: {e}"))?;
                for i in 0..zip.len() {
                    let entry = zip
                        .by_index_raw(i)
                        .map_err(|e| format!("a damaged entry: {e}"))?;
                    if entry.is_file() {
                        let name = entry
                            .name()
                            .map(|n| n.replace('\\', "/"))
                            .unwrap_or_else(|_| format!("member-{i}"));
                        members.push(Member { index: i, name });
                    }
                }
                let archive = Archive {
                    path: path.to_path_buf(),
                    kind,
                    zip: Some(Mutex::new(zip)),
                    tar: None,
                };
                Ok((archive, members))
            }
            Kind::Tar | Kind::TarGz => {
                each_tar_file(path, kind, |index, name, _| {
                    members.push(Member { index, name });
                    true
                })?;
                let (tx, rx) = mpsc::sync_channel(4);
                let reader_path = path.to_path_buf();
                // The reader stops when the run drops the receiver.
                std::thread::spawn(move || {
                    let sent = each_tar_file(&reader_path, kind, |index, _, entry| {
                        let size = entry.header().size().unwrap_or(0);
                        tx.send((index, read_capped(entry, size))).is_ok()
                    });
                    if let Err(e) = sent {
                        let _ = tx.send((usize::MAX, Err(e)));
                    }
                });
                let archive = Archive {
                    path: path.to_path_buf(),
                    kind,
                    zip: None,
                    tar: Some(Mutex::new(TarStream {
                        rx,
                        kept: BTreeMap::new(),
                        kept_bytes: 0,
                        cap,
                        next: 0,
                    })),
                };
                Ok((archive, members))
            }
        }
    }

    /// The bytes of member `index`.
    pub fn read(&self, index: usize) -> Bytes {
        if let Some(zip) = &self.zip {
            let mut zip = zip
                .lock()
                .map_err(|_| "the archive reader failed".to_owned())?;
            let entry = zip
                .by_index(index)
                .map_err(|e| format!("cannot read the member: {e}"))?;
            let size = entry.size();
            return read_capped(entry, size);
        }
        let Some(tar) = &self.tar else {
            return Err("not an archive".to_owned());
        };
        let mut s = tar
            .lock()
            .map_err(|_| "the archive reader failed".to_owned())?;
        loop {
            if let Some(bytes) = s.kept.remove(&index) {
                s.kept_bytes -= bytes.as_ref().map_or(0, Vec::len);
                return bytes;
            }
            if s.next > index {
                // Passed and not kept (the buffer was full): scan again.
                drop(s);
                return self.rescan(index);
            }
            let Ok((i, bytes)) = s.rx.recv() else {
                drop(s);
                return self.rescan(index);
            };
            if i == usize::MAX {
                return bytes;
            }
            s.next = i + 1;
            if i == index {
                return bytes;
            }
            let len = bytes.as_ref().map_or(0, Vec::len);
            if s.kept_bytes + len <= s.cap {
                s.kept_bytes += len;
                s.kept.insert(i, bytes);
            }
        }
    }

    /// Reads member `index` from a fresh stream.
    fn rescan(&self, index: usize) -> Bytes {
        let mut found = None;
        each_tar_file(&self.path, self.kind, |i, _, entry| {
            if i == index {
                let size = entry.header().size().unwrap_or(0);
                found = Some(read_capped(entry, size));
                return false;
            }
            true
        })?;
        found.unwrap_or_else(|| Err("the member is no longer in the archive".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tar of `n` members `m{i}` holding `i` as text, in reverse order.
    fn reversed_tar(dir: &Path, n: usize) -> PathBuf {
        let path = dir.join("rev.tar");
        let mut tar = tar::Builder::new(File::create(&path).unwrap());
        for i in (0..n).rev() {
            let body = format!("member {i}");
            let mut header = tar::Header::new_gnu();
            header.set_size(body.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, format!("m{i:03}"), body.as_bytes())
                .unwrap();
        }
        tar.finish().unwrap();
        path
    }

    #[test]
    fn members_asked_out_of_archive_order_are_read_right_with_any_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let path = reversed_tar(dir.path(), 40);
        for cap in [0, 30, MAX_BUFFERED] {
            let (archive, mut members) = Archive::open_with_buffer(&path, Kind::Tar, cap).unwrap();
            assert_eq!(members.len(), 40);
            // Name order, the order a run asks in: the reverse of the archive.
            members.sort_by(|a, b| a.name.cmp(&b.name));
            for m in &members {
                let want = format!("member {}", &m.name[1..].trim_start_matches('0'));
                let want = if want == "member " {
                    "member 0".to_owned()
                } else {
                    want
                };
                assert_eq!(archive.read(m.index).unwrap(), want.as_bytes(), "cap {cap}");
            }
        }
    }
}
