//! Running a command whose reader goes away (`tieout ... | head`), shared
//! by the test files that need it (included with
//! `#[path = "common/pipe.rs"] mod common_pipe;`).

use std::io::Read;
use std::process::{Command, Output, Stdio};

/// Starts `cmd` with piped output, reads its first 16 bytes, closes the
/// pipe and waits for it.
pub fn read_then_hang_up(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    child.wait_with_output().unwrap()
}
