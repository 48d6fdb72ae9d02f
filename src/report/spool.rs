//! Where the formats that write their counts first (SARIF, JUnit) keep the
//! files' parts until the counts are known: an anonymous temporary file,
//! removed by the system when it is closed, or memory when no temporary
//! file can be made. A sweep's memory then does not grow with its output.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

pub(super) struct Spool {
    file: Option<BufWriter<File>>,
    memory: Vec<u8>,
}

impl Spool {
    pub(super) fn new() -> Spool {
        Spool {
            file: tempfile::tempfile().ok().map(BufWriter::new),
            memory: Vec::new(),
        }
    }

    /// An in-memory spool, whatever the temporary directory allows.
    #[cfg(test)]
    fn in_memory() -> Spool {
        Spool {
            file: None,
            memory: Vec::new(),
        }
    }

    pub(super) fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.write_all(bytes),
            None => {
                self.memory.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// Writes everything spooled so far to `out`, in order.
    pub(super) fn copy_to(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match &mut self.file {
            Some(f) => {
                f.flush()?;
                let file = f.get_mut();
                file.seek(SeekFrom::Start(0))?;
                io::copy(file, out)?;
                Ok(())
            }
            None => out.write_all(&self.memory),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_kinds_give_back_what_was_written_in_order() {
        for mut spool in [Spool::new(), Spool::in_memory()] {
            spool.write_all(b"first ").unwrap();
            spool.write_all(&[b'x'; 100_000]).unwrap();
            spool.write_all(b" last").unwrap();
            let mut out = Vec::new();
            spool.copy_to(&mut out).unwrap();
            assert_eq!(out.len(), 6 + 100_000 + 5);
            assert!(out.starts_with(b"first x"));
            assert!(out.ends_with(b"x last"));
        }
    }
}
